import type { Catalogue } from '../catalogue.js';

/** The dialer area's messages in Portuguese (Brazil). */
export const dialer: Catalogue = {
  // What a message names in turn (a resource's label, what was not found).
  campaign: 'campanha',
  'contact group': 'grupo de contatos',
  'dialing strategy': 'estratégia de discagem',
  strategy: 'estratégia',
  'list member': 'contato do grupo',

  // Campaigns
  'a {0} campaign cannot {1}; it can {2}': 'uma campanha em estado {0} não aceita o comando {1}; aceita: {2}',
  'only be edited': 'nenhum (só pode ser editada)',
  'no such dialing strategy': 'estratégia de discagem inexistente',
  'no such service (queue)': 'serviço (fila) inexistente',
  'no such outbound route': 'rota de saída inexistente',
  'no such status group': 'grupo de status inexistente',
  'no such prompt': 'áudio inexistente',
  'at most the hard cap abandonMaxPercent ({0} %)': 'no máximo o limite abandonMaxPercent ({0} %)',
  'with prefix0303 the caller id is the 0303 number (0303 and 7 or 8 digits)': 'com prefix0303, a bina é o número 0303 (0303 seguido de 7 ou 8 dígitos)',
  'a contact group stays with a campaign that has started dialling it': 'um grupo de contatos fica com a campanha que já começou a discá-lo',
  'the campaign "{0}" has dialled; it is kept for the reports (stop it instead)': 'a campanha "{0}" já discou; ela é mantida para os relatórios (pare-a em vez disso)',
  "the campaign's stop time ({0}) has passed; change or clear it first": 'o horário de parada da campanha ({0}) já passou; altere-o ou apague-o primeiro',

  // Dialing strategies
  'at most maxAttemptsPerContact ({0})': 'no máximo maxAttemptsPerContact ({0})',
  'no such time condition': 'condição de horário inexistente',

  // Contact groups
  'no such contact group': 'grupo de contatos inexistente',
  'no such contact book': 'agenda inexistente',
  'the contact group to fill is required': 'o grupo de contatos a preencher é obrigatório',
  'the contact group "{0}" is used by the campaign "{1}" and can no longer change its contacts': 'o grupo de contatos "{0}" é usado pela campanha "{1}" e não pode mais mudar seus contatos',
  'a contact group keeps the name it was created with': 'um grupo de contatos mantém o nome com que foi criado',
  'a contact group keeps its contact book': 'um grupo de contatos mantém sua agenda',
  'more than {0} contacts match; narrow the filter or import the group from CSV': 'mais de {0} contatos correspondem; refine o filtro ou importe o grupo de um CSV',
  'contact {0} is already in this contact group': 'o contato {0} já está neste grupo de contatos',
  'an earlier row of this file already added contact {0}': 'uma linha anterior deste arquivo já adicionou o contato {0}',
  'the book already has this contact ({0}); it was added to the contact group': 'a agenda já tem este contato ({0}); ele foi adicionado ao grupo de contatos',
  'the contact group was deleted during the import': 'o grupo de contatos foi excluído durante a importação',

  // Preview and disposition
  'no contact is shown to you in a running preview campaign, or no line is free':
    'nenhum contato está sendo mostrado a você numa campanha preview em execução, ou não há linha livre',
  'no contact is shown to you in a running preview campaign': 'nenhum contato está sendo mostrado a você numa campanha preview em execução',
  'no such status': 'status inexistente',
  'the status "{0}" schedules a callback; say when': 'o status "{0}" agenda um retorno; informe quando',
  'not a phone of this contact': 'não é um telefone deste contato',

  // Report
  'on or after from': 'igual ou posterior a from',
  'at most a year after from': 'no máximo um ano após from',
  'a date YYYY-MM-DD': 'uma data AAAA-MM-DD',

  // Simulation scenarios (a key of the scenario file at the head)
  'a scenario is a JSON object': 'um cenário é um objeto JSON',
  '{0} is not a scenario key': '{0} não é uma chave de cenário',
  '{0} is missing': 'falta {0}',
  '{0}.at_hour is missing': 'falta {0}.at_hour',
  'amd is missing': 'falta amd',
  'human_answer is missing': 'falta human_answer',
  '{0} must be a number': '{0} deve ser um número',
  '{0} must be a whole number': '{0} deve ser um número inteiro',
  // `${key} must be ${'above' | 'at least'} ${min}`: written whole, as a sentence of two placeholders
  // in a row would also take in every other "… must be …" message, cut at its first space.
  '{0} must be at least {1}': '{0} deve ser no mínimo {1}',
  '{0} must be above {1}': '{0} deve ser maior que {1}',
  '{0} must be at most {1}': '{0} deve ser no máximo {1}',
  '{0} must be [low, high] in seconds': '{0} deve ser [mínimo, máximo], em segundos',
  '{0} must lie within [{1}, {2}]': '{0} deve estar dentro de [{1}, {2}]',
  'low must not exceed high': 'o mínimo não pode passar do máximo',
  '{0}.{1} must be a number within [{2}, {3}]': '{0}.{1} deve ser um número dentro de [{2}, {3}]',
  'p_fail + p_noanswer + p_machine + p_human must be 1 (is {0})': 'p_fail + p_noanswer + p_machine + p_human deve somar 1 (soma {0})',
  'name must be 1–100 characters': 'name deve ter de 1 a 100 caracteres',
  'amd must be true or false': 'amd deve ser true ou false',
  'human_answer must be [shift, gamma_k, gamma_theta]': 'human_answer deve ser [shift, gamma_k, gamma_theta]',
  'human_answer shift must lie within [0, 120] s': 'o shift de human_answer deve estar dentro de [0, 120] s',
  'human_answer gamma_k and gamma_theta must be positive': 'gamma_k e gamma_theta de human_answer devem ser positivos',
  'abandon_target must not exceed abandon_max': 'abandon_target não pode passar de abandon_max',
  'changes must be a list': 'changes deve ser uma lista',
  '{0} must be an object': '{0} deve ser um objeto',
  '{0} cannot change during a shift': '{0} não pode mudar durante o turno',
};
