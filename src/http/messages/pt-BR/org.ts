import type { Catalogue } from '../catalogue.js';

/** The org area's messages in Portuguese (Brazil). */
export const org: Catalogue = {
  // ---- what the resources are called (put into other sentences: "{0} not found")
  tenant: 'empresa',
  user: 'usuário',
  team: 'equipe',
  profile: 'perfil',
  'pause type': 'tipo de pausa',

  // ---- tenants
  'cnpj is not a valid CNPJ (check digits do not match)': 'cnpj não é um CNPJ válido (os dígitos verificadores não conferem)',
  'a tenant with this CNPJ already exists': 'já existe uma empresa com este CNPJ',
  'ddd {0} is not an area code of DDI {1}': 'o DDD {0} não é um código de área do DDI {1}',
  'only a super user creates tenants': 'só um superusuário cria empresas',
  'only a super user activates or deactivates a tenant': 'só um superusuário ativa ou desativa uma empresa',

  // ---- users
  'cpf is not a valid CPF (check digits do not match)': 'cpf não é um CPF válido (os dígitos verificadores não conferem)',
  'you may not change a user above your own level': 'você não pode alterar um usuário de nível acima do seu',
  'only a super user grants the super-user flag': 'só um superusuário concede a marca de superusuário',
  'only a super user changes the super-user flag': 'só um superusuário altera a marca de superusuário',
  'you may not grant the level {0}': 'você não pode conceder o nível {0}',
  'no such profile in this tenant': 'esse perfil não existe nesta empresa',
  'no such team in this tenant': 'essa equipe não existe nesta empresa',
  'you may not grant permissions you do not hold: {0}': 'você não pode conceder permissões que não tem: {0}',
  'login {0} is already taken': 'o login {0} já está em uso',
  'extension {0} already belongs to another user': 'o ramal {0} já pertence a outro usuário',
  'employeeNumber {0} already belongs to another user of this tenant': 'a matrícula (employeeNumber) {0} já pertence a outro usuário desta empresa',
  'cpf already belongs to another user of this tenant': 'o CPF já pertence a outro usuário desta empresa',

  // ---- teams
  'a team named {0} already exists': 'já existe uma equipe chamada {0}',
  'every supervisor must be a supervisor or admin of this tenant': 'cada supervisor deve ser supervisor ou administrador desta empresa',
  'the team still has {0} user(s); move them first': 'a equipe ainda tem {0} usuário(s); mova-os primeiro',

  // ---- profiles
  'a profile named {0} already exists': 'já existe um perfil chamado {0}',
  'unknown permission {0}': 'permissão desconhecida: {0}',
  'you may not change a profile that grants more than you hold': 'você não pode alterar um perfil que concede mais do que você tem',
  'the profile is assigned to {0} user(s)': 'o perfil está atribuído a {0} usuário(s)',

  // ---- pauses
  'a pause named {0} already exists': 'já existe uma pausa chamada {0}',
  '{0} is already the automatic wrap-up pause': '{0} já é a pausa automática de pós-atendimento',
  'every team must belong to this tenant': 'todas as equipes devem pertencer a esta empresa',
  'agents have used this pause; deactivate it instead (active: false)': 'operadores já usaram esta pausa; em vez de excluí-la, desative-a (active: false)',

  // ---- signing in and the session
  'invalid login or password': 'login ou senha incorretos',
  'not logged in, or the session has expired or was ended': 'você não está conectado, ou a sessão expirou ou foi encerrada',
  'your profile does not allow {0}:{1}': 'seu perfil não permite {0}:{1}',
  'you must change your password before doing anything else': 'troque sua senha antes de fazer qualquer outra coisa',
  'too many failed logins; try again in {0} s': 'muitas tentativas de login sem sucesso; tente de novo em {0} s',
  'login expired; enter your login and password again': 'o login expirou; digite seu login e senha de novo',
  'newPassword must differ from the current password': 'a nova senha (newPassword) deve ser diferente da atual',
  '{0} is wrong': '{0}: senha incorreta',
  'TOTP is already enabled; disable it first': 'a verificação em duas etapas (TOTP) já está ativada; desative-a primeiro',
  'no TOTP enrolment in progress; enrol first': 'nenhuma ativação de TOTP em andamento; comece a ativação primeiro',
  'code does not match; check the time on your device': 'o código não confere; verifique a hora do seu aparelho',

  // ---- account links (first access, password reset)
  'if this identifies a user with an e-mail address, a link to choose a new password is on its way':
    'se isso identificar um usuário com e-mail cadastrado, um link para criar uma nova senha está a caminho',
  'links cannot be mailed until ATENDE_PUBLIC_URL says where users reach Atende':
    'os links não podem ser enviados por e-mail enquanto ATENDE_PUBLIC_URL não indicar onde os usuários acessam o Atende',
  'this link is invalid, was already used or has expired; ask for a new one': 'este link é inválido, já foi usado ou expirou; peça outro',
  'too many password reset requests; try again in {0} s': 'muitos pedidos de redefinição de senha; tente de novo em {0} s',
  'the user has no e-mail address; set one first': 'o usuário não tem e-mail; cadastre um primeiro',
  'the user is inactive; activate it first': 'o usuário está inativo; ative-o primeiro',
  'too many invalid links; try again in {0} s': 'muitos links inválidos; tente de novo em {0} s',
};
