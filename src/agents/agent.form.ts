import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, MaxLength } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../auth/roles';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class GrantRoleForm {
  @Transform(trim)
  @IsEmail({}, { message: 'Saisissez une adresse e-mail valide, par exemple prenom.nom@justice.gouv.fr' })
  email!: string;

  @Transform(trim)
  @IsNotEmpty({ message: 'Saisissez le prénom de l’agent' })
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères' })
  firstName!: string;

  @Transform(trim)
  @IsNotEmpty({ message: 'Saisissez le nom de l’agent' })
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères' })
  lastName!: string;

  @IsIn(STAFF_ROLES, { message: 'Choisissez un rôle dans la liste' })
  role!: StaffRole;
}
