declare module '@socialgouv/jours-feries' {
  /** French public holidays of a year, by name (dates at midnight UTC). */
  export default function joursFeries(year: number, options?: { alsace?: boolean }): Record<string, Date>;
}
