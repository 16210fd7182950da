import { IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { STAFF_ROLES, type StaffRole } from '../auth/roles';
import { Trim } from '../common/forms';

export class GrantRoleForm {
  @Trim()
  @IsEmail({}, { message: 'Saisissez une adresse e-mail valide, par exemple prenom.nom@justice.gouv.fr' })
  email!: string;

  @Trim()
  @IsString({ message: 'Saisissez le prénom de l’agent' })
  @IsNotEmpty({ message: 'Saisissez le prénom de l’agent' })
  @MaxLength(100, { message: 'Le prénom ne doit pas dépasser 100 caractères' })
  firstName!: string;

  @Trim()
  @IsString({ message: 'Saisissez le nom de l’agent' })
  @IsNotEmpty({ message: 'Saisissez le nom de l’agent' })
  @MaxLength(100, { message: 'Le nom ne doit pas dépasser 100 caractères' })
  lastName!: string;

  @IsIn(STAFF_ROLES, { message: 'Choisissez un rôle dans la liste' })
  role!: StaffRole;
}
