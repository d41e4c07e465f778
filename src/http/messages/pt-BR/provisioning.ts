import type { Catalogue } from '../catalogue.js';

/** The provisioning area's messages in Portuguese (Brazil). */
export const provisioning: Catalogue = {
  // ---- apply: its notes and each module's problems
  'E1 spans changed: Atende does not reload DAHDI. On the Asterisk host, link atende/dahdi-system.conf as /etc/dahdi/system.conf and run `dahdi_cfg -vv`, then `asterisk -rx "module reload chan_dahdi"` (a new span may need `asterisk -rx "core restart when convenient"`).':
    'Os spans E1 mudaram: o Atende não recarrega o DAHDI. No servidor do Asterisk, crie o link de atende/dahdi-system.conf em /etc/dahdi/system.conf e rode `dahdi_cfg -vv`, depois `asterisk -rx "module reload chan_dahdi"` (um span novo pode exigir `asterisk -rx "core restart when convenient"`).',
  'SIP transports changed (ports, NAT, WebSocket): PJSIP applies transport changes only after `asterisk -rx "core restart when convenient"`.':
    'Os transportes SIP mudaram (portas, NAT, WebSocket): o PJSIP só aplica mudanças de transporte depois de `asterisk -rx "core restart when convenient"`.',
  'Asterisk refused the reload: {0}': 'o Asterisk recusou o reload: {0}',
  'could not check the result: {0}': 'não foi possível verificar o resultado: {0}',
  'could not write the configuration: {0}': 'não foi possível gravar a configuração: {0}',
  'endpoint {0} was not loaded (see the Asterisk log for the reason)': 'o endpoint {0} não foi carregado (veja o motivo no log do Asterisk)',
  'context {0} was not loaded: is atende/extensions.conf included in extensions.conf?':
    'o contexto {0} não foi carregado: atende/extensions.conf está incluído em extensions.conf?',
  'hint {0} was not loaded': 'o hint {0} não foi carregado',
  'music-on-hold class {0} was not loaded': 'a classe de música de espera {0} não foi carregada',
  // ---- what the resources are called (put into other sentences: "there is no {0} {1}", "{0} not found")
  extension: 'ramal',
  'SIP trunk': 'tronco SIP',
  'E1 span': 'span E1',
  'music-on-hold class': 'classe de música de espera',
  announcement: 'anúncio',
  queue: 'fila',
  'inbound route': 'rota de entrada',
  'outbound route': 'rota de saída',
  prompt: 'áudio',
  audio: 'áudio',

  // ---- applying the configuration
  'Asterisk is not reachable over AMI: nothing was written; try again when it is connected':
    'o Asterisk não está acessível pela AMI: nada foi gravado; tente de novo quando ele estiver conectado',
  'no Asterisk configuration directory is set': 'nenhum diretório de configuração do Asterisk foi definido',
  'ATENDE_ASTERISK_CONFIG_DIR is not set: set it to Asterisk’s configuration directory (usually /etc/asterisk) so that Atende can write its files there':
    'ATENDE_ASTERISK_CONFIG_DIR não está definido: aponte-o para o diretório de configuração do Asterisk (normalmente /etc/asterisk) para que o Atende grave seus arquivos lá',

  // ---- destinations
  'there is no {0} {1} in this tenant': 'não existe {0} {1} nesta empresa',
  'a caller who presses nothing would go round {0} forever': 'quem liga e não pressiona nada ficaria dando voltas para sempre em {0}',

  // ---- dial patterns
  "'{0}' may only end a pattern": "'{0}' só pode estar no fim de um padrão",
  "'[' is never closed by ']'": "'[' não é fechado por ']'",
  "'{0}' cannot stand in a set (digits, *, # or +)": "'{0}' não pode estar num conjunto (dígitos, *, # ou +)",
  "bad range '{0}-{1}'": "faixa inválida '{0}-{1}'",
  'empty set []': 'conjunto vazio []',
  "'{0}' is not allowed in a pattern": "'{0}' não é permitido num padrão",
  'the pattern is empty after _': 'o padrão está vazio depois do _',
  'the pattern is empty': 'o padrão está vazio',
  'the pattern is longer than 80 characters': 'o padrão tem mais de 80 caracteres',
  "'{0}' is not a digit, *, # or + (a pattern starts with _)": "'{0}' não é dígito, *, # ou + (um padrão começa com _)",
  '{0} (at position {1})': '{0} (na posição {1})',

  // ---- extensions and the numbering plan
  'names starting with atende- are reserved': 'nomes que começam com atende- são reservados',
  'SIP user {0} is already used on this server (SIP users are shared by every tenant): choose another sipUser':
    'o usuário SIP {0} já está em uso neste servidor (os usuários SIP são compartilhados por todas as empresas): escolha outro sipUser',
  'there is no user {0} in this tenant': 'não existe o usuário {0} nesta empresa',
  "number {0} is an extension's number": 'o número {0} já é de um ramal',
  "number {0} is a conference's number": 'o número {0} já é de uma sala de conferência',
  'secret is too weak: use at least 12 characters (or leave it out to have one generated)':
    'a senha (secret) é fraca demais: use pelo menos 12 caracteres (ou deixe-a de fora para que uma seja gerada)',
  'secret is too weak: mix at least three of lower case, upper case, digits and symbols':
    'a senha (secret) é fraca demais: misture pelo menos três entre minúsculas, maiúsculas, dígitos e símbolos',
  'secret is too weak: it contains the SIP user name': 'a senha (secret) é fraca demais: ela contém o nome do usuário SIP',
  'secret is too weak: it is a plain sequence': 'a senha (secret) é fraca demais: é uma sequência simples',

  // ---- inbound routes
  'the DID has no digits': 'o DID não tem dígitos',
  'DID {0} is routed by another tenant on this server': 'o DID {0} é roteado por outra empresa neste servidor',
  'DID {0} is already routed by inbound route {1}': 'o DID {0} já é roteado pela rota de entrada {1}',
  'DID {0} with caller pattern {1} is already routed by inbound route {2}': 'o DID {0} com o padrão de chamador {1} já é roteado pela rota de entrada {2}',

  // ---- outbound routes
  'there is no extension {0} in this tenant': 'não existe o ramal {0} nesta empresa',
  'the Brazilian format needs the carrier code (CSP) for long distance':
    'o formato brasileiro precisa do código da operadora (CSP) para longa distância',
  'the tenant has no DDD; set it on the tenant first': 'a empresa não tem DDD; defina-o primeiro na empresa',
  'give either trunkId or e1Group': 'informe trunkId ou e1Group, só um deles',
  'listed twice': 'listado duas vezes',
  'there is no SIP trunk {0} in this tenant': 'não existe o tronco SIP {0} nesta empresa',
  'no E1 span of this tenant is in group {0}': 'nenhum span E1 desta empresa está no grupo {0}',
  'there is no time condition {0} in this tenant': 'não existe a condição de horário {0} nesta empresa',
  // why a dialled number goes out by no route (a manual call refused)
  'no outbound route matches {0}': 'nenhuma rota de saída casa com {0}',
  'every route matching {0} was passed over': 'todas as rotas que casam com {0} foram descartadas',
  'route "{0}", rule {1}: {2}': 'rota "{0}", regra {1}: {2}',
  'restricted to extensions {0}': 'restrita aos ramais {0}',
  'its time condition is closed': 'a condição de horário da rota está fechada',
  'the route has no trunk': 'a rota não tem tronco',
  "the rule dials Brazilian numbers but the tenant's DDD is not set": 'a regra disca números brasileiros, mas o DDD da empresa não está definido',
  'nothing left to dial after removing digits': 'não sobra nada para discar depois de remover os dígitos',
  '{0} is not a Brazilian or international number': '{0} não é um número brasileiro nem internacional',

  // ---- prompts and media
  'there is no prompt {0} in this tenant': 'estes áudios não existem nesta empresa: {0}',
  'the language of a spoken prompt is the language of its text: give new text with PUT …/audio':
    'o idioma de um áudio falado é o idioma do seu texto: envie um texto novo com PUT …/audio',
  'the file is larger than the {0} MiB allowed': 'o arquivo passa do limite de {0} MiB',
  'only one file, named "file", is expected': 'só é esperado um arquivo, com o nome "file"',
  'no audio file was sent': 'nenhum arquivo de áudio foi enviado',
  'no prompt with id {0}': 'não existe áudio com o id {0}',
  'the built-in text to speech speaks {0}': 'o texto para fala embutido só fala {0}',
  'the audio is longer than the {0} s allowed': 'o áudio passa do limite de {0} s',
  'no ffmpeg: install the npm dependencies or set ATENDE_FFMPEG_PATH': 'ffmpeg não encontrado: instale as dependências npm ou defina ATENDE_FFMPEG_PATH',
  'ffmpeg could not be run at {0}': 'não foi possível executar o ffmpeg em {0}',
  'the audio took too long to convert': 'a conversão do áudio demorou demais',
  'the file contains no audio': 'o arquivo não contém áudio',
  'the file could not be decoded as {0}': 'não foi possível decodificar o arquivo como {0}',
  'the file is not WAV, MP3 or OGG audio': 'o arquivo não é um áudio WAV, MP3 ou OGG',
  'the text to speak is empty': 'o texto a falar está vazio',
  'the text has nothing to speak': 'o texto não tem nada que possa ser falado',
  'text to speech failed: {0}': 'o texto para fala falhou: {0}',
  'text to speech is not available': 'o texto para fala não está disponível',
  'text to speech stopped': 'o texto para fala parou',
  'text to speech took too long': 'o texto para fala demorou demais',

  // ---- SIP settings
  'SIP settings belong to the whole server: only a super user changes them':
    'as configurações SIP valem para o servidor inteiro: só um superusuário as altera',
  'behind NAT Asterisk must know which networks are local (e.g. 192.168.0.0/16)':
    'atrás de NAT o Asterisk precisa saber quais redes são locais (ex.: 192.168.0.0/16)',

  // ---- E1 spans
  'span {0} is already configured on this server': 'o span {0} já está configurado neste servidor',
  "channel group {0} is used by another tenant's span: choose another group": 'o grupo de canais {0} é usado pelo span de outra empresa: escolha outro grupo',
  'ISDN PRI needs CCS framing (common-channel signalling on timeslot 16)':
    'ISDN PRI precisa do enquadramento CCS (sinalização por canal comum no timeslot 16)',
  'MFC/R2 needs CAS framing (channel-associated signalling)': 'MFC/R2 precisa do enquadramento CAS (sinalização associada ao canal)',
  'MFC/R2 options on an ISDN PRI span; set signalling to mfcr2 or leave r2 out':
    'opções MFC/R2 num span ISDN PRI; defina signalling como mfcr2 ou não envie r2',
  'switchtype is an ISDN PRI setting; an MFC/R2 span has none': 'switchtype é uma configuração de ISDN PRI; um span MFC/R2 não tem',
  "'{0}' is not a channel number or range like 1-15": "'{0}' não é um número de canal nem uma faixa como 1-15",
  "'{0}' is not an ascending range of channels from 1": "'{0}' não é uma faixa crescente de canais a partir de 1",
  'channels {0} overlap those of span {1}': 'os canais {0} se sobrepõem aos do span {1}',
  'channels {0} are not on span {1} (its channels are {2}-{3})': 'os canais {0} não estão no span {1} (os canais dele são {2}-{3})',
  'channels {0} are not on span {1} (its channels are {2}-{3}; {4} is on span {5})':
    'os canais {0} não estão no span {1} (os canais dele são {2}-{3}; o {4} está no span {5})',
  'channels {0} overlap channel {1}, timeslot 16 of span {2}, which carries the signalling (D-channel)':
    'os canais {0} incluem o canal {1}, timeslot 16 do span {2}, que leva a sinalização (canal D)',
  'channels {0} are listed twice': 'os canais {0} estão listados duas vezes',

  // ---- SIP trunks
  'the provider’s address is required': 'o endereço da operadora é obrigatório',
  'a SIP trunk or extension named {0} already exists on this server': 'já existe neste servidor um tronco SIP ou ramal chamado {0}',
  'a trunk that registers needs the user and secret the provider gave': 'um tronco que registra precisa do usuário e da senha fornecidos pela operadora',
  'authUser and secret go together': 'authUser e secret devem ser informados juntos',
  'registerString must look like user:secret@host[:port]/extension': 'registerString deve ter o formato usuário:senha@host[:porta]/ramal',
  'port {0} is out of range': 'a porta {0} está fora da faixa permitida',
  'extraOptions[{0}]: {1}': 'extraOptions[{0}]: {1}',
  "'{0}' is not key=value": "'{0}' não está no formato chave=valor",
  "{0} is set by Atende from the trunk's own fields": '{0} é definido pelo Atende a partir dos campos do próprio tronco',
  '{0} is not an option of an Asterisk 22 PJSIP endpoint': '{0} não é uma opção de endpoint PJSIP do Asterisk 22',
  'the value of {0} must be one line without quotes or backslashes': 'o valor de {0} deve ser uma só linha, sem aspas nem barras invertidas',
  'insecure is a chan_sip option: a PJSIP trunk without registration is matched by its address (identify), nothing to add':
    'insecure é uma opção do chan_sip: um tronco PJSIP sem registro é reconhecido pelo endereço (identify), não há nada a acrescentar',
  'host is a chan_sip option: set the trunk’s host field': 'host é uma opção do chan_sip: preencha o campo host do tronco',
  'nat is a chan_sip option: PJSIP trunks already use force_rport, rewrite_contact and rtp_symmetric':
    'nat é uma opção do chan_sip: os troncos PJSIP já usam force_rport, rewrite_contact e rtp_symmetric',
  'qualify is a chan_sip option: how often trunks are qualified is set in the SIP settings ("Check trunks every")':
    'qualify é uma opção do chan_sip: a frequência de verificação dos troncos é definida nas configurações SIP ("Verificar troncos a cada")',
  'canreinvite is a chan_sip option: media always flows through Asterisk (direct_media=no)':
    'canreinvite é uma opção do chan_sip: a mídia sempre passa pelo Asterisk (direct_media=no)',
  'secret is a chan_sip option: set the trunk’s secret field': 'secret é uma opção do chan_sip: preencha o campo secret do tronco',
  'username is a chan_sip option: set the trunk’s authUser field': 'username é uma opção do chan_sip: preencha o campo authUser do tronco',
  'fromuser is a chan_sip option: set the trunk’s fromUser field': 'fromuser é uma opção do chan_sip: preencha o campo fromUser do tronco',
  'fromdomain is a chan_sip option: set the trunk’s fromDomain field': 'fromdomain é uma opção do chan_sip: preencha o campo fromDomain do tronco',
  'dtmfmode is a chan_sip option: the PJSIP name is dtmf_mode': 'dtmfmode é uma opção do chan_sip: no PJSIP o nome é dtmf_mode',

  // ---- webphone
  'you have no WebRTC extension: ask an administrator to link one to your user':
    'você não tem um ramal WebRTC: peça a um administrador que vincule um ao seu usuário',
  'the address of the telephony server’s SIP WebSocket is not configured (ATENDE_WEBPHONE_WS_URL)':
    'o endereço do WebSocket SIP do servidor de telefonia não está configurado (ATENDE_WEBPHONE_WS_URL)',
};
