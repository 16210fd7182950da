import { departmentContact, type Department, type LetterBody, recourseParagraphs } from './letters';

const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

/**
 * What the acknowledgement of a request says (CRPA L112-3, R112-5, R112-11-1): the date on which
 * silence becomes an implicit rejection, the department's name, address and phone, the recourse routes.
 */
export interface Acknowledgement {
  implicitRejectionDate: string;
  /** The same day, AAAA-MM-JJ (Paris): the family's messages write it in their language. */
  implicitRejectionDay: string;
  department: string;
  recourse: string[];
}

export function acknowledgement(department: Department, deadline: Date): Acknowledgement {
  return {
    implicitRejectionDate: DATE.format(deadline),
    implicitRejectionDay: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(deadline),
    department: departmentContact(department),
    recourse: recourseParagraphs(department),
  };
}

/** The printable acknowledgement letter. */
export function acknowledgementLetter(
  a: Acknowledgement,
  r: { reference: string; visitor: string; detainee: string; submittedAt: Date },
): LetterBody {
  return {
    reference: r.reference,
    recourse: true,
    paragraphs: [
      `Votre demande de permis de visite pour ${r.visitor}, afin de rendre visite à ${r.detainee}, a été reçue le ${DATE.format(r.submittedAt)}.`,
      `Service chargé de la demande : ${a.department}.`,
      `Sans décision au ${a.implicitRejectionDate}, votre demande sera considérée comme rejetée (décision implicite de rejet). ` +
        'Si l’établissement vous demande des pièces manquantes, ce délai repart de leur réception.',
      'En cas de rejet, exprès ou implicite, les voies de recours sont indiquées ci-dessous.',
    ],
  };
}
