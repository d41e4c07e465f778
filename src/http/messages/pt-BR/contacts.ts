import type { Catalogue } from '../catalogue.js';

/** The contacts area's messages in Portuguese (Brazil). */
export const contacts: Catalogue = {
  // What a message names, translated where it is put into a longer sentence ("{0} not found", "the {0} also belongs to…"); the
  // things the API keeps are in `nouns` (common.ts).
  interaction: 'atendimento',
  callback: 'retorno',
  import: 'importação',
  'running import': 'importação em andamento',
  call: 'chamada',
  recording: 'gravação',
  'audit record': 'registro de auditoria',
  phone: 'telefone',
  document: 'documento',

  // Phone numbers (contacts, blacklist, the import's rows)
  'no number': 'nenhum número',
  'only digits, spaces, dashes, dots, parentheses and a leading + are allowed': 'só são aceitos dígitos, espaços, hífens, pontos, parênteses e um + no início',
  '+{0}… is not a Brazilian number (DDI 55)': '+{0}… não é um número brasileiro (DDI 55)',
  '{0} digits with the DDI; a landline has 12 and a mobile 13': '{0} dígitos com o DDI; um fixo tem 12 e um celular 13',
  '{0} digits; expected DDD + number (10 or 11) or 55 + DDD + number (12 or 13)': '{0} dígitos; o esperado é DDD + número (10 ou 11) ou 55 + DDD + número (12 ou 13)',
  'DDD {0} is not a Brazilian area code': 'o DDD {0} não existe no Brasil',
  'a 9-digit number is a mobile and must start with 9 (got {0})': 'um número de 9 dígitos é celular e deve começar com 9 (começa com {0})',
  'a mobile number needs the ninth digit: 9 before its 8 digits': 'falta o nono dígito do celular: 9 antes dos 8 dígitos',
  'a landline starts with 2, 3, 4 or 5 (got {0})': 'um telefone fixo começa com 2, 3, 4 ou 5 (começa com {0})',
  '{0} digits after the DDD; a landline has 8 and a mobile 9': '{0} dígitos depois do DDD; um fixo tem 8 e um celular 9',

  // CPF / CNPJ
  'not a valid CPF (check digits)': 'CPF inválido (dígitos verificadores)',
  'not a valid CNPJ (check digits)': 'CNPJ inválido (dígitos verificadores)',
  'a CPF has 11 digits and a CNPJ 14 characters (got {0})': 'um CPF tem 11 dígitos e um CNPJ 14 caracteres (recebido: {0})',

  // Custom fields: their definition and their values
  '"{0}" is required': '"{0}": preenchimento obrigatório',
  '"{0}" must be a number': '"{0}" deve ser um número',
  '"{0}" must be at least {1}': '"{0}" deve ser no mínimo {1}',
  '"{0}" must be at most {1}': '"{0}" deve ser no máximo {1}',
  '"{0}" must be text': '"{0}" deve ser um texto',
  '"{0}" must be a date (AAAA-MM-DD or DD/MM/AAAA)': '"{0}" deve ser uma data (AAAA-MM-DD ou DD/MM/AAAA)',
  '"{0}" must be one of: {1}': '"{0}" deve ser um destes: {1}',
  '"{0}" has more than {1} characters': '"{0}" tem mais de {1} caracteres',
  '"{0}" does not fit the mask {1}': '"{0}" não segue a máscara {1}',
  'no such {0} field': 'não existe esse campo de {0}',
  'cannot change once values are stored under it; create another field': 'não pode mudar depois que há valores gravados nele; crie outro campo',
  'cannot change; create another field': 'não pode mudar; crie outro campo',
  '{0} is a built-in contact field': '{0} é um campo próprio do contato',
  'a select field needs its options': 'um campo do tipo lista precisa das suas opções',
  'only a select field has options': 'só um campo do tipo lista tem opções',
  'only a text field has a mask': 'só um campo de texto tem máscara',
  'a mask has 1 to 60 characters': 'uma máscara tem de 1 a 60 caracteres',
  'a mask needs at least one of 9 (digit), A (letter), * (either)': 'uma máscara precisa de ao menos um 9 (dígito), A (letra) ou * (qualquer um)',
  'min/max: only a number field has bounds': 'min/max: só um campo numérico tem limites',
  'must not be below min': 'não pode ser menor que min',
  'only a text field has one': 'só um campo de texto tem esse limite',

  // Forms, campaign types, contact books
  '{0} appears twice': '{0} aparece duas vezes',
  'no {0} field {1}': 'não existe o campo de {0} {1}',
  'no such form': 'formulário inexistente',
  'no such campaign type': 'tipo de campanha inexistente',
  'make another book the default instead': 'defina outra agenda como padrão em vez disso',
  "the tenant's default contact book cannot be deleted": 'a agenda padrão da empresa não pode ser excluída',
  'the contact book still has {0} contacts; move or delete them first': 'a agenda ainda tem {0} contatos; mova-os ou exclua-os primeiro',
  'no such contact book': 'agenda inexistente',

  // Contacts
  'the contact already has {0}': 'o contato já tem o número {0}',
  'no such user': 'usuário inexistente',
  'no tag {0}': 'não existe a tag {0}',
  'contact {0} of this book already has document {1}': 'o contato {0} desta agenda já tem o documento {1}',
  'send the CSV as the body with Content-Type text/csv': 'envie o CSV como corpo da requisição, com Content-Type text/csv',
  'give bookId or serviceId, not both': 'informe bookId ou serviceId, não os dois',
  'the interaction is already linked to a contact': 'o atendimento já está vinculado a um contato',
  '{0} is not a Brazilian phone number, so it cannot be kept on the contact; link it without adding the number':
    '{0} não é um telefone brasileiro e não pode ser guardado no contato; vincule sem adicionar o número',
  'the contact has {0} phones, the most it may have; link it without adding the number':
    'o contato já tem {0} telefones, o máximo permitido; vincule sem adicionar o número',
  'the contact cannot be merged into itself': 'um contato não pode ser juntado a ele mesmo',
  'no such contact': 'contato inexistente',

  // Blacklist
  'a prefix is 2 to 13 digits, e.g. 5511': 'um prefixo tem de 2 a 13 dígitos, por exemplo 5511',
  '{0} is already on the {1} blacklist': '{0} já está na blacklist de sentido {1}',

  // Imports: the file and its header
  'larger than the {0} MiB an import accepts': 'maior que os {0} MiB que uma importação aceita',
  'one of {0}': 'um destes: {0}',
  'empty; the first line must name the columns': 'vazio; a primeira linha deve ter os nomes das colunas',
  'not a CSV text file (binary content)': 'não é um arquivo de texto CSV (conteúdo binário)',
  'the columns are separated by {0}; use ; (or , when the header uses commas)': 'as colunas estão separadas por {0}; use ; (ou , quando o cabeçalho usa vírgulas)',
  'the header line cannot be read: {0}': 'não foi possível ler a linha de cabeçalho: {0}',
  'column {0} of the header has no name': 'a coluna {0} do cabeçalho não tem nome',
  'unknown column "{0}"; the columns are nome, telefone1…, email, documento, empresa, logradouro, numero, complemento, bairro, cidade, uf, cep{1}':
    'coluna desconhecida "{0}"; as colunas são nome, telefone1…, email, documento, empresa, logradouro, numero, complemento, bairro, cidade, uf, cep{1}',
  ' and the custom fields {0}': ' e os campos personalizados {0}',
  ' (no custom fields are defined)': ' (não há campos personalizados cadastrados)',
  'column "{0}" appears twice': 'a coluna "{0}" aparece duas vezes',
  'no name column (nome)': 'falta a coluna do nome (nome)',
  'no phone column (telefone1, telefone2, …)': 'falta uma coluna de telefone (telefone1, telefone2, …)',
  'no column for the required field {0}': 'falta a coluna do campo obrigatório {0}',
  'inbound or outbound': 'inbound ou outbound',
  'unknown column "{0}"; the columns are numero (or prefixo), motivo, validade': 'coluna desconhecida "{0}"; as colunas são numero (ou prefixo), motivo, validade',
  'no numero (or prefixo) column': 'falta a coluna numero (ou prefixo)',

  // Imports: the problems of each row (the import's table of problems)
  'the row has {0} values and the header {1} columns; the extra values were left out':
    'a linha tem {0} valores e o cabeçalho {1} colunas; os valores a mais foram ignorados',
  'not an e-mail address': 'não é um endereço de e-mail',
  'a state (UF) has two letters, e.g. SP': 'a UF tem duas letras, por exemplo SP',
  'a CEP has 8 digits, e.g. 88010-000': 'o CEP tem 8 dígitos, por exemplo 88010-000',
  'longer than {0} characters; only the first {1} were kept': 'mais de {0} caracteres; só os {1} primeiros foram mantidos',
  'the name is required': 'o nome é obrigatório',
  'the contact has no valid phone and was not imported': 'o contato não tem telefone válido e não foi importado',
  'the document repeats an earlier row of this file': 'o documento repete uma linha anterior deste arquivo',
  'the document already belongs to contact {0}': 'o documento já pertence ao contato {0}',
  // How the columns of a file that is not ours are separated (`the columns are separated by {0}`).
  tab: 'TAB',
  'the phone repeats an earlier row of this file': 'o telefone repete uma linha anterior deste arquivo',
  'the phone already belongs to contact {0}': 'o telefone já pertence ao contato {0}',
  'every phone of the row is already in the book; the contact was not imported': 'todos os telefones da linha já estão na agenda; o contato não foi importado',
  'the {0} also belongs to contact {1} of the book "{2}"; imported all the same': 'o {0} também pertence ao contato {1} da agenda "{2}"; importado mesmo assim',
  'the phone is being imported into this book by import {0}': 'o telefone está sendo importado nesta agenda pela importação {0}',
  'the phone is also being imported into the book "{0}" by import {1}; imported all the same':
    'o telefone também está sendo importado na agenda "{0}" pela importação {1}; importado mesmo assim',
  'a date is DD/MM/AAAA or AAAA-MM-DD; the entry does not expire': 'uma data é DD/MM/AAAA ou AAAA-MM-DD; o número fica sem validade',
  'already in the {0} blacklist': 'já está na blacklist de sentido {0}',
  'a quoted value is not closed, so lines {0} to {1} (the end of the file) cannot be read':
    'um valor entre aspas não foi fechado, então as linhas {0} a {1} (o fim do arquivo) não puderam ser lidas',
  'the line cannot be read as CSV: {0}': 'a linha não pode ser lida como CSV: {0}',

  // Imports: how one ended
  'interrupted by a stop of the daemon; nothing of this file was kept; import it again':
    'interrompida porque o servidor parou; nada deste arquivo foi mantido; importe-o de novo',
  'cancelled; nothing of this file was kept': 'cancelada; nada deste arquivo foi mantido',
  'failed at line {0}: {1}; nothing of this file was kept': 'falhou na linha {0}: {1}; nada deste arquivo foi mantido',
  'the contact book was deleted during the import': 'a agenda foi excluída durante a importação',
  'the CSV reader stopped (exit code {0})': 'a leitura do CSV parou (código de saída {0})',

  // Interactions, tabulation, callbacks
  'there is no service (queue) {0} in this tenant': 'não existe o serviço (fila) {0} nesta empresa',
  'the interaction is already finished': 'o atendimento já foi finalizado',
  'this service requires a tabulation to finish': 'este serviço exige uma tabulação para finalizar',
  'no such active status': 'não existe esse status ativo',
  '"{0}" does not apply to {1} interactions': '"{0}" não vale para atendimentos do tipo {1}',
  'the group "{0}" is inactive': 'o grupo "{0}" está inativo',
  "the group \"{0}\" is not offered to this agent's team": 'o grupo "{0}" não é oferecido à equipe deste agente',
  'required to finish with this tabulation': 'obrigatório para finalizar com esta tabulação',
  'no active tag {0}': 'não existe a tag ativa {0}',
  '"{0}" is not offered in this service': '"{0}" não é oferecida neste serviço',
  '"{0}" requires a tag': '"{0}" exige uma tag',
  '"{0}" schedules the next contact; pick its date and time': '"{0}" marca um retorno; escolha a data e a hora do próximo contato',
  'link the interaction to a contact first': 'vincule o atendimento a um contato primeiro',
  'no such active form': 'não existe esse formulário ativo',
  '{0} is required by the form': '{0}: obrigatório neste formulário',
  'the form needs a contact; link the interaction first': 'o formulário precisa de um contato; vincule o atendimento primeiro',
  '{0} is required by the form; fill it on the contact': '{0}: obrigatório neste formulário; preencha no contato',
  'the interaction is not of this contact': 'o atendimento não é deste contato',
  'the callback is already {0}': 'o retorno já está como {0}',

  // Shortcuts
  '"{0}" may hold only letters, digits, _ . and - (no spaces); it is typed after /': '"{0}" só pode ter letras, dígitos, _ . e - (sem espaços); é digitado depois de /',
  'unknown variable {{{0}}}': 'variável desconhecida {{{0}}}',
  'the shortcut /{0} already exists for that service': 'o atalho /{0} já existe para esse serviço',

  // Status groups, statuses, tags
  'only when owner is "set"': 'só quando owner é "set"',
  'a number marked invalid is not redialled': 'um número marcado como inválido não é rediscado',
  'a do-not-call contact is not redialled': 'um contato marcado como não ligar não é rediscado',
  'name the teams, or offer the group to all teams': 'informe as equipes ou ofereça o grupo a todas as equipes',
  'no team {0}': 'não existe a equipe {0}',
  'no such status group': 'grupo de status inexistente',
  'the group already has a status named "{0}"': 'o grupo já tem um status chamado "{0}"',
  'no such tag': 'tag inexistente',
  'a tag cannot be its own macro tag': 'uma tag não pode ser a própria tag macro',
  'a child tag cannot have children; pick a macro tag': 'uma tag filha não pode ter filhas; escolha uma tag macro',
  'this macro tag has children and cannot become a child': 'esta tag macro tem filhas e não pode virar filha',
  'a tag titled "{0}" already exists there': 'já existe ali uma tag com o título "{0}"',
  'the macro tag has {0} child tags; confirm with withChildren=true to delete them too':
    'a tag macro tem {0} tags filhas; confirme com withChildren=true para excluí-las também',

  // Calls, the audit log
  'to must be after from': 'to deve ser depois de from',
  'number must contain at least one digit': 'number deve ter pelo menos um dígito',
  'a destination of kind {0} takes no {1} (only {2})': 'um destino do tipo {0} não aceita {1} (só {2})',
  'the external number is required': 'o número externo é obrigatório',
  'which {0} the call goes to is required': 'informe o destino da chamada ({0})',

  // Any registry (resources), anything not found
  'the {0} is in use by {1}; change those first': '{0} em uso por {1}; altere esses itens primeiro',
  'a {0} with {1} "{2}" already exists': 'já existe um cadastro de {0} com {1} "{2}"',
  '{0} not found': '{0} inexistente',

  // Outgoing mail
  'outgoing mail is not configured: a super user sets it in PUT /api/v1/settings/mail':
    'o envio de e-mails não está configurado: um super usuário o configura em PUT /api/v1/settings/mail',
  'the mail server did not accept the message: {0}': 'o servidor de e-mail não aceitou a mensagem: {0}',
  'only a super user manages the platform’s mail settings': 'só um super usuário gerencia a configuração de e-mail da plataforma',
};
