import type { Catalogue } from '../catalogue.js';

/** The flows area's messages in Portuguese (Brazil). */
export const flows: Catalogue = {
  // ---- what the resources are called (put into other sentences: "there is no {0} {1}", "{0} not found")
  IVR: 'URA',
  'IVR version': 'versão de URA',
  'time condition': 'condição de horário',
  'holiday calendar': 'calendário de feriados',
  'voicemail box': 'caixa postal',
  'voicemail message': 'mensagem da caixa postal',
  'voicemail audio': 'áudio da caixa postal',
  survey: 'pesquisa',
  // the months a period's day never occurs in
  January: 'janeiro',
  February: 'fevereiro',
  March: 'março',
  April: 'abril',
  May: 'maio',
  June: 'junho',
  July: 'julho',
  August: 'agosto',
  September: 'setembro',
  October: 'outubro',
  November: 'novembro',
  December: 'dezembro',

  // ---- prompts
  'Atende has no prompt named {0}': 'o Atende não tem um áudio chamado {0}',
  'there is no prompt {0}': 'não existe o áudio {0}',

  // ---- queries and reports
  'not a date-time': 'não é uma data e hora',
  'must be after from': 'deve ser depois de from',
  'at most {0} days after from': 'no máximo {0} dias depois de from',

  // ---- holiday calendars
  '{0} is not a Brazilian state': '{0} não é um estado brasileiro',
  'a city needs its state': 'uma cidade precisa do seu estado',
  'the holiday library knows no city {0} in {1}': 'a biblioteca de feriados não conhece a cidade {0} em {1}',
  'the holiday library knows no city {0}': 'a biblioteca de feriados não conhece a cidade {0}',
  '{0} is not a day: use MM-DD (every year), YYYY-MM-DD (once) or "easter -2" (days from Easter)':
    '{0} não é um dia: use MM-DD (todo ano), AAAA-MM-DD (uma vez) ou "easter -2" (dias a partir da Páscoa)',
  'at most 120 days from Easter': 'no máximo 120 dias a partir da Páscoa',
  '{0} is not a calendar date': '{0} não é uma data válida',

  // ---- IVRs
  '{0} is already the current version': '{0} já é a versão atual',
  'definition.{0}': 'definition.{0}',
  '{0} is not within {1}–{2}': '{0} não está entre {1} e {2}',
  'a message node needs something to play': 'um nó de mensagem precisa de algo para tocar',
  'the node needs a prompt that tells the caller what to press': 'o nó precisa de um áudio que diga a quem liga o que pressionar',
  '{0} is already option {1}': '{0} já é a opção {1}',
  'a menu with neither options nor direct dial': 'um menu sem opções nem discagem direta',
  '{0} is more than maxDigits {1}': '{0} é maior que maxDigits {1}',
  'the range validator needs a range': 'a validação por faixa numérica precisa de uma faixa',
  '{0}–{1} is empty': 'a faixa {0}–{1} está vazia',
  'an IVR needs at least one node': 'uma URA precisa de pelo menos um nó',
  'at most {0} nodes': 'no máximo {0} nós',
  '{0} is already node {1}': '{0} já é o nó {1}',
  'there is no node {0}': 'não existe o nó {0}',
  'a caller who presses nothing would go round {0} forever': 'quem liga e não pressiona nada ficaria dando voltas para sempre em {0}',
  'there is no survey {0}': 'não existe a pesquisa {0}',

  // ---- surveys
  '{0} is already question {1}': '{0} já é a pergunta {1}',
  'the range {0}–{1} is empty': 'a faixa {0}–{1} está vazia',
  'the question needs a prompt': 'a pergunta precisa de um áudio',

  // ---- time conditions
  '{0} is not a time of day (HH:MM, 00:00–23:59)': '{0} não é um horário (HH:MM, 00:00–23:59)',
  '{0} is not a time of day (HH:MM, 00:00–24:00)': '{0} não é um horário (HH:MM, 00:00–24:00)',
  '{0} is not after the start {1}; set crossesMidnight to run past midnight':
    '{0} não é depois do início {1}; marque "Termina no dia seguinte" para passar da meia-noite',
  '{0} is not after the start {1}': '{0} não é depois do início {1}',
  '{0}–{1} does not cross midnight': '{0}–{1} não passa da meia-noite',
  'day {0} never occurs in {1}': 'o dia {0} não existe em {1}',
  'day {0} never occurs in the months chosen ({1} days at most)': 'o dia {0} não existe nos meses escolhidos (no máximo {1} dias)',
  '{0} is not an IANA time zone': '{0} não é um fuso horário IANA',
  '{0} is already exception {1}': '{0} já é a exceção {1}',
  'there is no holiday calendar {0}': 'não existe o calendário de feriados {0}',
  'must be in the future': 'deve estar no futuro',
};
