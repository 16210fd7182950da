import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../auth/roles';
import { Trim } from '../common/forms';

// The error shown for a field is its first failing rule from the bottom up: IsString comes last so
// that a value sent twice (a list) reads "Saisissez…", not a length message.
export class GrantRoleForm {
  @Trim()
  @IsEmail({}, { message: 'Saisissez une adresse e-mail valide, par exemple prenom.nom@justice.gouv.fr' })
  email!: string;

  @Trim()
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères' })
  @IsNotEmpty({ message: 'Saisissez le prénom de l’agent' })
  @IsString({ message: 'Saisissez le prénom de l’agent' })
  firstName!: string;

  @Trim()
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères' })
  @IsNotEmpty({ message: 'Saisissez le nom de l’agent' })
  @IsString({ message: 'Saisissez le nom de l’agent' })
  lastName!: string;

  @IsIn(STAFF_ROLES, { message: 'Choisissez un rôle dans la liste' })
  role!: StaffRole;
}
