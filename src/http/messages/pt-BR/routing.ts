import type { Catalogue } from '../catalogue.js';

/** The routing area's messages in Portuguese (Brazil). */
export const routing: Catalogue = {
  // What a message names in turn (a resource's label, what was not found, a transfer's kind).
  queue: 'fila',
  agent: 'agente',
  recording: 'gravação',
  'a queue': 'uma fila',
  'an agent': 'um agente',
  'a number outside': 'um número externo',

  // The agent's state: log in, pauses, wrap-up
  'agent {0} is not known to the routing engine': 'o agente {0} é desconhecido do motor de roteamento',
  'the agent is not logged in': 'o agente está fora das filas',
  '"{0}" is not logged in': '"{0}" está fora das filas',
  '"{0}" is deactivated': 'o usuário "{0}" está desativado',
  'the agent is not paused': 'o agente não está em pausa',
  'the agent is not in wrap-up': 'o agente não está em pós-atendimento',
  'the service requires a tabulation: finish the interaction (or leave it pending) first':
    'o serviço exige tabulação: finalize o atendimento (ou deixe-o pendente) primeiro',
  'the pause "{0}" is disabled': 'a pausa "{0}" está desativada',
  '"{0}" is the automatic wrap-up pause; agents enter it only after an interaction':
    '"{0}" é a pausa automática de pós-atendimento; os agentes só entram nela depois de um atendimento',
  "the pause \"{0}\" is not offered to the agent's team": 'a pausa "{0}" não está disponível para a equipe do agente',
  '{0} of {1} agents are already in the pause "{2}"; try again later': '{0} de {1} agentes já estão na pausa "{2}"; tente mais tarde',
  "outside the agent's working hours": 'fora do horário de trabalho do agente',
  "outside the agent's working hours; they begin at {0}": 'fora do horário de trabalho do agente; ele começa em {0}',
  'a period must not start and end at the same time': 'um horário não pode começar e terminar no mesmo momento',

  // Manual calls from the desk
  'give the number to call, digits only (spaces, dashes, dots, parentheses and a leading + are accepted)':
    'informe o número a ligar, só com dígitos (espaços, traços, pontos, parênteses e um + no início são aceitos)',
  'log in to the desk first': 'entre nas filas primeiro',
  'you have no extension to call from: an administrator sets it on your user': 'você não tem um ramal para ligar: um administrador o define no seu usuário',
  "your extension {0} is not one of this tenant's phones": 'seu ramal {0} não é um dos telefones desta empresa',
  'your phone (extension {0}) is not registered': 'seu telefone (ramal {0}) não está registrado',
  'you are already on a call': 'você já está em uma chamada',
  'extension {0} may not call outside': 'o ramal {0} não pode fazer chamadas externas',
  'the phone system cannot be reached now; try again': 'a central telefônica não responde agora; tente de novo',
  'calls cannot be placed: Atende is not connected to the phone system': 'não é possível fazer chamadas: o Atende não está conectado à central telefônica',
  'numbers outside cannot be dialled from here': 'números externos não podem ser discados daqui',

  // Queues
  'each rule must start later than the one before': 'cada regra deve começar depois da anterior',
  'each rule must widen to a higher priority number than the one before': 'cada regra deve ampliar para um número de prioridade maior que o da anterior',
  'give either userId (an agent) or extension (a plain extension)': 'informe userId (um agente) ou extension (um ramal avulso), apenas um deles',
  'user {0} is listed twice': 'o usuário {0} aparece duas vezes',
  'extension {0} is listed twice': 'o ramal {0} aparece duas vezes',
  'the pause agents are put in after unanswered offers is required': 'a pausa em que os agentes são postos após chamadas não atendidas é obrigatória',
  '"{0}" is the automatic wrap-up pause': '"{0}" é a pausa automática de pós-atendimento',
  'the queue "{0}" still has members (agents or extensions); remove them first, or deactivate it': 'a fila "{0}" ainda tem membros (agentes ou ramais); remova-os primeiro ou desative a fila',
  'the queue "{0}" has interactions in its history; deactivate it instead (active: false)':
    'a fila "{0}" tem atendimentos no histórico; desative-a em vez disso (active: false)',
  'queue "{0}" is inactive and takes no calls': 'a fila "{0}" está inativa e não recebe chamadas',
  'queue {0} is both added and removed': 'a fila {0} aparece ao mesmo tempo para adicionar e para retirar',

  // What the tenant does not have
  'there is no contact {0} in this tenant': 'não existe o contato {0} nesta empresa',
  'there is no user {0} in this tenant': 'não existe o usuário {0} nesta empresa',
  'there is no user {0}': 'não existe o usuário {0}',
  'there is no queue {0} in this tenant': 'não existe a fila {0} nesta empresa',
  'there is no queue {0}': 'não existe a fila {0}',
  'there is no pause type {0} in this tenant': 'não existe o tipo de pausa {0} nesta empresa',
  'there is no contact book {0} in this tenant': 'não existe a agenda {0} nesta empresa',
  'there is no team {0}': 'não existe a equipe {0}',

  // Reports
  'the period must end after it begins': 'o período deve terminar depois de começar',

  // Transfers, consults and conferences
  'a transfer to {0} names only {1}': 'uma transferência para {0} informa apenas {1}',
  'the queue to transfer to is required': 'a fila de destino é obrigatória',
  'the agent to transfer to is required': 'o agente de destino é obrigatório',
  'the number to transfer to is required': 'o número de destino é obrigatório',
  'the call is already yours': 'a chamada já é sua',
  '"{0}" cannot take a call now ({1})': '"{0}" não pode receber uma chamada agora ({1})',
  '"{0}" takes no calls now ({1})': '"{0}" não recebe chamadas agora ({1})',
  'the call is not in conversation with its agent': 'a chamada não está em conversa com o agente',
  'the call is no longer in conversation': 'a chamada não está mais em conversa',
  'a consult with "{0}" is in progress: complete or cancel it first': 'há uma consulta com "{0}" em andamento: complete-a ou cancele-a primeiro',
  'there is no consult in progress': 'não há consulta em andamento',
  '"{0}" has not answered yet: wait, or cancel the consult': '"{0}" ainda não atendeu: aguarde ou cancele a consulta',
  'the call is not in conference': 'a chamada não está em conferência',

  // Supervision
  '"{0}" has no call in conversation': '"{0}" não tem nenhuma chamada em conversa',
  'the call cannot be taken over while its agent consults a transfer': 'a chamada não pode ser puxada enquanto o agente consulta uma transferência',
  'the agent is no longer on the call': 'o agente não está mais na chamada',
  'the call is not in conversation yet': 'a chamada ainda não está em conversa',
  'you have no extension to be rung on: ask an administrator to give you one': 'você não tem um ramal para ser chamado: peça um a um administrador',
  'your phone (extension {0}) could not be rung: {1}': 'não foi possível chamar seu telefone (ramal {0}): {1}',
  'you are not on the call of "{0}"': 'você não está na chamada de "{0}"',
  'the queue "{0}" is not worked by a team you supervise': 'a fila "{0}" não é atendida por uma equipe que você supervisiona',
  '"{0}" is not in a team you supervise': '"{0}" não está numa equipe que você supervisiona',
  'the supervisor hung up': 'o supervisor desligou',
};
