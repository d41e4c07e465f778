/**
 * The ARI operations the emulator serves, described once: the Swagger 1.1/1.2 documents that
 * ari-client loads at connect are generated from this table, and the HTTP router matches
 * requests against it. Only what Atende uses is described; descriptions are our own.
 */

export type ResourceName = 'asterisk' | 'endpoints' | 'channels' | 'bridges' | 'recordings' | 'playbacks' | 'events' | 'applications';
export type ParamType = 'string' | 'int' | 'long' | 'boolean' | 'containers';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ParamDef {
  name: string;
  in: 'path' | 'query' | 'body';
  type: ParamType;
  description: string;
  required?: boolean;
  multiple?: boolean;
  defaultValue?: string | number | boolean;
  values?: string[];
}

export interface OperationDef {
  resource: ResourceName;
  path: string;
  method: HttpMethod;
  nickname: string;
  summary: string;
  responseClass: string;
  params: ParamDef[];
  errors: [number, string][];
}

const p = (name: string, description: string): ParamDef => ({ name, in: 'path', type: 'string', description, required: true });
const q = (name: string, type: ParamType, description: string, extra: Partial<ParamDef> = {}): ParamDef => ({
  name,
  in: 'query',
  type,
  description,
  ...extra,
});

const channelId = p('channelId', 'Id of the channel');
const bridgeId = p('bridgeId', 'Id of the bridge');
const notFound: [number, string] = [404, 'Channel not found'];
const notInApp: [number, string] = [409, 'Channel not in a Stasis application'];
const mediaParams = (target: string): ParamDef[] => [
  q('media', 'string', `Media URIs to play on the ${target}, in order (sound:, recording:, tone:, digits:, number:, characters:)`, {
    required: true,
    multiple: true,
  }),
  q('lang', 'string', 'Language for the sounds'),
  q('offsetms', 'int', 'Milliseconds to skip at the start of the first media', { defaultValue: 0 }),
  q('skipms', 'int', 'Milliseconds skipped by forward/reverse', { defaultValue: 3000 }),
];
const recordParams: ParamDef[] = [
  q('name', 'string', 'Name of the recording (file name without extension)', { required: true }),
  q('format', 'string', 'File format of the recording', { required: true }),
  q('maxDurationSeconds', 'int', 'Longest recording allowed; 0 means no limit', { defaultValue: 0 }),
  q('maxSilenceSeconds', 'int', 'Longest silence allowed before stopping; 0 means no limit', { defaultValue: 0 }),
  q('ifExists', 'string', 'What to do when the file exists', { defaultValue: 'fail', values: ['fail', 'overwrite', 'append'] }),
  q('beep', 'boolean', 'Play a beep before recording', { defaultValue: false }),
  q('terminateOn', 'string', 'DTMF that stops the recording', { defaultValue: 'none', values: ['none', 'any', '*', '#'] }),
];
const originateParams: ParamDef[] = [
  q('endpoint', 'string', 'Dial string of the endpoint to call', { required: true }),
  q('extension', 'string', 'Dialplan extension to run after answer (when no app is given)'),
  q('context', 'string', 'Dialplan context for the extension'),
  q('priority', 'long', 'Dialplan priority for the extension'),
  q('label', 'string', 'Dialplan label for the extension'),
  q('app', 'string', 'Stasis application the new channel enters on answer'),
  q('appArgs', 'string', 'Comma-separated arguments for the application'),
  q('callerId', 'string', 'Caller id of the new channel'),
  q('timeout', 'int', 'Seconds to wait for an answer; -1 for ever', { defaultValue: 30 }),
  { name: 'variables', in: 'body', type: 'containers', description: 'Channel variables: {"variables": {"NAME": "value"}}' },
  q('otherChannelId', 'string', 'Id of the second leg of a Local channel'),
  q('originator', 'string', 'Channel on whose behalf the call is made'),
  q('formats', 'string', 'Comma-separated codecs to offer'),
];

export const operations: OperationDef[] = [
  // asterisk
  {
    resource: 'asterisk',
    path: '/asterisk/info',
    method: 'GET',
    nickname: 'getInfo',
    summary: 'System information',
    responseClass: 'AsteriskInfo',
    params: [q('only', 'string', 'Sections to return (build, system, config, status)', { multiple: true })],
    errors: [],
  },
  { resource: 'asterisk', path: '/asterisk/ping', method: 'GET', nickname: 'ping', summary: 'Liveness check', responseClass: 'AsteriskPing', params: [], errors: [] },
  // endpoints
  { resource: 'endpoints', path: '/endpoints', method: 'GET', nickname: 'list', summary: 'All endpoints', responseClass: 'List[Endpoint]', params: [], errors: [] },
  {
    resource: 'endpoints',
    path: '/endpoints/{tech}',
    method: 'GET',
    nickname: 'listByTech',
    summary: 'Endpoints of one technology',
    responseClass: 'List[Endpoint]',
    params: [p('tech', 'Technology')],
    errors: [[404, 'Endpoints not found']],
  },
  {
    resource: 'endpoints',
    path: '/endpoints/{tech}/{resource}',
    method: 'GET',
    nickname: 'get',
    summary: 'One endpoint',
    responseClass: 'Endpoint',
    params: [p('tech', 'Technology'), p('resource', 'Endpoint name')],
    errors: [
      [400, 'Invalid parameters'],
      [404, 'Endpoint not found'],
    ],
  },
  // channels
  { resource: 'channels', path: '/channels', method: 'GET', nickname: 'list', summary: 'Active channels', responseClass: 'List[Channel]', params: [], errors: [] },
  {
    resource: 'channels',
    path: '/channels',
    method: 'POST',
    nickname: 'originate',
    summary: 'Create a channel and dial it',
    responseClass: 'Channel',
    params: [...originateParams, q('channelId', 'string', 'Id for the new channel')],
    errors: [
      [400, 'Invalid parameters'],
      [409, 'Channel id already in use'],
    ],
  },
  { resource: 'channels', path: '/channels/{channelId}', method: 'GET', nickname: 'get', summary: 'One channel', responseClass: 'Channel', params: [channelId], errors: [notFound] },
  {
    resource: 'channels',
    path: '/channels/{channelId}',
    method: 'POST',
    nickname: 'originateWithId',
    summary: 'Create a channel with the given id and dial it',
    responseClass: 'Channel',
    params: [channelId, ...originateParams],
    errors: [
      [400, 'Invalid parameters'],
      [409, 'Channel id already in use'],
    ],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}',
    method: 'DELETE',
    nickname: 'hangup',
    summary: 'Hang up a channel',
    responseClass: 'void',
    params: [
      channelId,
      q('reason_code', 'string', 'Q.850 cause to hang up with'),
      q('reason', 'string', 'Named reason to hang up with', {
        values: ['normal', 'busy', 'congestion', 'no_answer', 'timeout', 'rejected', 'unallocated', 'normal_unspecified', 'number_incomplete', 'codec_mismatch', 'interworking', 'failure', 'answered_elsewhere'],
      }),
    ],
    errors: [[400, 'Invalid reason'], notFound],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/continue',
    method: 'POST',
    nickname: 'continueInDialplan',
    summary: 'Leave the application and continue in the dialplan',
    responseClass: 'void',
    params: [channelId, q('context', 'string', 'Context'), q('extension', 'string', 'Extension'), q('priority', 'int', 'Priority'), q('label', 'string', 'Label')],
    errors: [notFound, notInApp, [412, 'Channel in invalid state']],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/answer',
    method: 'POST',
    nickname: 'answer',
    summary: 'Answer',
    responseClass: 'void',
    params: [channelId],
    errors: [notFound, notInApp, [412, 'Channel in invalid state']],
  },
  { resource: 'channels', path: '/channels/{channelId}/ring', method: 'POST', nickname: 'ring', summary: 'Indicate ringing', responseClass: 'void', params: [channelId], errors: [notFound, notInApp] },
  {
    resource: 'channels',
    path: '/channels/{channelId}/ring',
    method: 'DELETE',
    nickname: 'ringStop',
    summary: 'Stop indicating ringing',
    responseClass: 'void',
    params: [channelId],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/dtmf',
    method: 'POST',
    nickname: 'sendDTMF',
    summary: 'Send DTMF to the far end',
    responseClass: 'void',
    params: [
      channelId,
      q('dtmf', 'string', 'Digits to send'),
      q('before', 'int', 'Milliseconds before the first digit', { defaultValue: 0 }),
      q('between', 'int', 'Milliseconds between digits', { defaultValue: 100 }),
      q('duration', 'int', 'Milliseconds each digit lasts', { defaultValue: 100 }),
      q('after', 'int', 'Milliseconds after the last digit', { defaultValue: 0 }),
    ],
    errors: [[400, 'DTMF is required'], notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/hold',
    method: 'POST',
    nickname: 'hold',
    summary: 'Hold a channel',
    responseClass: 'void',
    params: [channelId],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/hold',
    method: 'DELETE',
    nickname: 'unhold',
    summary: 'Remove a channel from hold',
    responseClass: 'void',
    params: [channelId],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/mute',
    method: 'POST',
    nickname: 'mute',
    summary: 'Mute a channel',
    responseClass: 'void',
    params: [channelId, q('direction', 'string', 'Direction in which to mute audio (both, in, out)', { defaultValue: 'both' })],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/mute',
    method: 'DELETE',
    nickname: 'unmute',
    summary: 'Unmute a channel',
    responseClass: 'void',
    params: [channelId, q('direction', 'string', 'Direction in which to unmute audio (both, in, out)', { defaultValue: 'both' })],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/moh',
    method: 'POST',
    nickname: 'startMoh',
    summary: 'Start music on hold',
    responseClass: 'void',
    params: [channelId, q('mohClass', 'string', 'Music on hold class')],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/moh',
    method: 'DELETE',
    nickname: 'stopMoh',
    summary: 'Stop music on hold',
    responseClass: 'void',
    params: [channelId],
    errors: [notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/play',
    method: 'POST',
    nickname: 'play',
    summary: 'Play media to a channel',
    responseClass: 'Playback',
    params: [channelId, ...mediaParams('channel'), q('playbackId', 'string', 'Id for the playback')],
    errors: [notFound, notInApp, [412, 'Channel in invalid state']],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/play/{playbackId}',
    method: 'POST',
    nickname: 'playWithId',
    summary: 'Play media to a channel with a given playback id',
    responseClass: 'Playback',
    params: [channelId, p('playbackId', 'Id for the playback'), ...mediaParams('channel')],
    errors: [notFound, notInApp, [412, 'Channel in invalid state']],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/record',
    method: 'POST',
    nickname: 'record',
    summary: 'Record a channel',
    responseClass: 'LiveRecording',
    params: [channelId, ...recordParams],
    errors: [
      [400, 'Invalid parameters'],
      notFound,
      [409, 'Channel not in a Stasis application, or a recording of that name is in progress'],
      [422, 'Format unknown or file exists'],
    ],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/variable',
    method: 'GET',
    nickname: 'getChannelVar',
    summary: 'Read a channel variable or function',
    responseClass: 'Variable',
    params: [channelId, q('variable', 'string', 'Variable name', { required: true })],
    errors: [[400, 'Missing variable'], [404, 'Channel or variable not found'], notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/variable',
    method: 'POST',
    nickname: 'setChannelVar',
    summary: 'Set a channel variable or function',
    responseClass: 'void',
    params: [channelId, q('variable', 'string', 'Variable name', { required: true }), q('value', 'string', 'Value')],
    errors: [[400, 'Missing variable'], notFound, notInApp],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/snoop',
    method: 'POST',
    nickname: 'snoopChannel',
    summary: 'Start a snoop channel on a channel',
    responseClass: 'Channel',
    params: [
      channelId,
      q('spy', 'string', 'What the snoop channel hears', { defaultValue: 'none', values: ['none', 'both', 'out', 'in'] }),
      q('whisper', 'string', 'What the snoop channel says', { defaultValue: 'none', values: ['none', 'both', 'out', 'in'] }),
      q('app', 'string', 'Application the snoop channel enters', { required: true }),
      q('appArgs', 'string', 'Application arguments'),
      q('snoopId', 'string', 'Id for the snoop channel'),
    ],
    errors: [[400, 'Invalid parameters'], notFound],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/snoop/{snoopId}',
    method: 'POST',
    nickname: 'snoopChannelWithId',
    summary: 'Start a snoop channel with a given id',
    responseClass: 'Channel',
    params: [
      channelId,
      p('snoopId', 'Id for the snoop channel'),
      q('spy', 'string', 'What the snoop channel hears', { defaultValue: 'none', values: ['none', 'both', 'out', 'in'] }),
      q('whisper', 'string', 'What the snoop channel says', { defaultValue: 'none', values: ['none', 'both', 'out', 'in'] }),
      q('app', 'string', 'Application the snoop channel enters', { required: true }),
      q('appArgs', 'string', 'Application arguments'),
    ],
    errors: [[400, 'Invalid parameters'], notFound],
  },
  {
    resource: 'channels',
    path: '/channels/{channelId}/rtp_statistics',
    method: 'GET',
    nickname: 'rtpstatistics',
    summary: 'RTP statistics of a channel',
    responseClass: 'RTPstat',
    params: [channelId],
    errors: [notFound],
  },
  // bridges
  { resource: 'bridges', path: '/bridges', method: 'GET', nickname: 'list', summary: 'Active bridges', responseClass: 'List[Bridge]', params: [], errors: [] },
  {
    resource: 'bridges',
    path: '/bridges',
    method: 'POST',
    nickname: 'create',
    summary: 'Create a bridge',
    responseClass: 'Bridge',
    params: [q('type', 'string', 'Comma-separated bridge features (mixing, holding, dtmf_events, proxy_media)'), q('bridgeId', 'string', 'Id for the bridge'), q('name', 'string', 'Name')],
    errors: [[409, 'Bridge id already in use']],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}',
    method: 'POST',
    nickname: 'createWithId',
    summary: 'Create a bridge with a given id',
    responseClass: 'Bridge',
    params: [q('type', 'string', 'Comma-separated bridge features'), bridgeId, q('name', 'string', 'Name')],
    errors: [[409, 'Bridge id already in use']],
  },
  { resource: 'bridges', path: '/bridges/{bridgeId}', method: 'GET', nickname: 'get', summary: 'One bridge', responseClass: 'Bridge', params: [bridgeId], errors: [[404, 'Bridge not found']] },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}',
    method: 'DELETE',
    nickname: 'destroy',
    summary: 'Destroy a bridge',
    responseClass: 'void',
    params: [bridgeId],
    errors: [[404, 'Bridge not found']],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/addChannel',
    method: 'POST',
    nickname: 'addChannel',
    summary: 'Add channels to a bridge',
    responseClass: 'void',
    params: [
      bridgeId,
      q('channel', 'string', 'Ids of the channels to add', { required: true, multiple: true }),
      q('role', 'string', 'Role of the channels in the bridge'),
      q('absorbDTMF', 'boolean', 'Absorb DTMF from the channels', { defaultValue: false }),
      q('mute', 'boolean', 'Mute the channels', { defaultValue: false }),
      q('inhibitConnectedLineUpdates', 'boolean', 'Do not update connected line', { defaultValue: false }),
    ],
    errors: [
      [400, 'Channel not found'],
      [404, 'Bridge not found'],
      [409, 'Bridge not in Stasis application'],
      [422, 'Channel not in Stasis application'],
    ],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/removeChannel',
    method: 'POST',
    nickname: 'removeChannel',
    summary: 'Remove channels from a bridge',
    responseClass: 'void',
    params: [bridgeId, q('channel', 'string', 'Ids of the channels to remove', { required: true, multiple: true })],
    errors: [
      [400, 'Channel not found'],
      [404, 'Bridge not found'],
      [409, 'Bridge not in Stasis application'],
      [422, 'Channel not in this bridge'],
    ],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/moh',
    method: 'POST',
    nickname: 'startMoh',
    summary: 'Music on hold in a bridge',
    responseClass: 'void',
    params: [bridgeId, q('mohClass', 'string', 'Music on hold class')],
    errors: [[404, 'Bridge not found']],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/moh',
    method: 'DELETE',
    nickname: 'stopMoh',
    summary: 'Stop music on hold in a bridge',
    responseClass: 'void',
    params: [bridgeId],
    errors: [[404, 'Bridge not found']],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/play',
    method: 'POST',
    nickname: 'play',
    summary: 'Play media to a bridge',
    responseClass: 'Playback',
    params: [bridgeId, ...mediaParams('bridge'), q('playbackId', 'string', 'Id for the playback')],
    errors: [[404, 'Bridge not found']],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/play/{playbackId}',
    method: 'POST',
    nickname: 'playWithId',
    summary: 'Play media to a bridge with a given playback id',
    responseClass: 'Playback',
    params: [bridgeId, p('playbackId', 'Id for the playback'), ...mediaParams('bridge')],
    errors: [[404, 'Bridge not found']],
  },
  {
    resource: 'bridges',
    path: '/bridges/{bridgeId}/record',
    method: 'POST',
    nickname: 'record',
    summary: 'Record a bridge',
    responseClass: 'LiveRecording',
    params: [bridgeId, ...recordParams],
    errors: [
      [400, 'Invalid parameters'],
      [404, 'Bridge not found'],
      [409, 'A recording of that name is in progress'],
      [422, 'Format unknown or file exists'],
    ],
  },
  // playbacks
  {
    resource: 'playbacks',
    path: '/playbacks/{playbackId}',
    method: 'GET',
    nickname: 'get',
    summary: 'One playback',
    responseClass: 'Playback',
    params: [p('playbackId', 'Id of the playback')],
    errors: [[404, 'Playback not found']],
  },
  {
    resource: 'playbacks',
    path: '/playbacks/{playbackId}',
    method: 'DELETE',
    nickname: 'stop',
    summary: 'Stop a playback',
    responseClass: 'void',
    params: [p('playbackId', 'Id of the playback')],
    errors: [[404, 'Playback not found']],
  },
  {
    resource: 'playbacks',
    path: '/playbacks/{playbackId}/control',
    method: 'POST',
    nickname: 'control',
    summary: 'Control a playback',
    responseClass: 'void',
    params: [
      p('playbackId', 'Id of the playback'),
      q('operation', 'string', 'What to do', { required: true, values: ['restart', 'pause', 'unpause', 'reverse', 'forward'] }),
    ],
    errors: [
      [400, 'Invalid operation'],
      [404, 'Playback not found'],
      [409, 'Playback not playing'],
    ],
  },
  // recordings
  {
    resource: 'recordings',
    path: '/recordings/stored',
    method: 'GET',
    nickname: 'listStored',
    summary: 'Recordings on disk',
    responseClass: 'List[StoredRecording]',
    params: [],
    errors: [],
  },
  {
    resource: 'recordings',
    path: '/recordings/stored/{recordingName}',
    method: 'GET',
    nickname: 'getStored',
    summary: 'One recording on disk',
    responseClass: 'StoredRecording',
    params: [p('recordingName', 'Name of the recording')],
    errors: [[404, 'Recording not found']],
  },
  {
    resource: 'recordings',
    path: '/recordings/stored/{recordingName}',
    method: 'DELETE',
    nickname: 'deleteStored',
    summary: 'Delete a recording from disk',
    responseClass: 'void',
    params: [p('recordingName', 'Name of the recording')],
    errors: [[404, 'Recording not found']],
  },
  {
    resource: 'recordings',
    path: '/recordings/stored/{recordingName}/file',
    method: 'GET',
    nickname: 'getStoredFile',
    summary: 'The bytes of a recording on disk',
    responseClass: 'binary',
    params: [p('recordingName', 'Name of the recording')],
    errors: [
      [403, 'Access denied'],
      [404, 'Recording not found'],
    ],
  },
  {
    resource: 'recordings',
    path: '/recordings/live/{recordingName}',
    method: 'GET',
    nickname: 'getLive',
    summary: 'A recording in progress',
    responseClass: 'LiveRecording',
    params: [p('recordingName', 'Name of the recording')],
    errors: [[404, 'Recording not found']],
  },
  {
    resource: 'recordings',
    path: '/recordings/live/{recordingName}',
    method: 'DELETE',
    nickname: 'cancel',
    summary: 'Stop a recording and discard it',
    responseClass: 'void',
    params: [p('recordingName', 'Name of the recording')],
    errors: [[404, 'Recording not found']],
  },
  {
    resource: 'recordings',
    path: '/recordings/live/{recordingName}/stop',
    method: 'POST',
    nickname: 'stop',
    summary: 'Stop a recording and keep it',
    responseClass: 'void',
    params: [p('recordingName', 'Name of the recording')],
    errors: [[404, 'Recording not found']],
  },
  {
    resource: 'recordings',
    path: '/recordings/live/{recordingName}/pause',
    method: 'POST',
    nickname: 'pause',
    summary: 'Pause a recording',
    responseClass: 'void',
    params: [p('recordingName', 'Name of the recording')],
    errors: [
      [404, 'Recording not found'],
      [409, 'Recording not in session'],
    ],
  },
  {
    resource: 'recordings',
    path: '/recordings/live/{recordingName}/pause',
    method: 'DELETE',
    nickname: 'unpause',
    summary: 'Resume a paused recording',
    responseClass: 'void',
    params: [p('recordingName', 'Name of the recording')],
    errors: [
      [404, 'Recording not found'],
      [409, 'Recording not in session'],
    ],
  },
  // applications
  { resource: 'applications', path: '/applications', method: 'GET', nickname: 'list', summary: 'Registered applications', responseClass: 'List[Application]', params: [], errors: [] },
  {
    resource: 'applications',
    path: '/applications/{applicationName}',
    method: 'GET',
    nickname: 'get',
    summary: 'One application',
    responseClass: 'Application',
    params: [p('applicationName', 'Name of the application')],
    errors: [[404, 'Application does not exist']],
  },
  // events
  {
    resource: 'events',
    path: '/events',
    method: 'GET',
    nickname: 'eventWebsocket',
    summary: 'WebSocket carrying the events of one or more applications',
    responseClass: 'Message',
    params: [
      q('app', 'string', 'Applications to receive events for', { required: true, multiple: true }),
      q('subscribeAll', 'boolean', 'Receive every event of the system', { defaultValue: false }),
    ],
    errors: [[400, 'Invalid request']],
  },
];

const resourceDescriptions: Record<ResourceName, string> = {
  asterisk: 'Asterisk system',
  endpoints: 'Endpoints',
  channels: 'Channels',
  bridges: 'Bridges',
  recordings: 'Recordings',
  playbacks: 'Playbacks',
  events: 'Events WebSocket',
  applications: 'Stasis applications',
};

export const resourceNames = Object.keys(resourceDescriptions) as ResourceName[];

type Prop = { type: string; required?: boolean; description?: string; items?: { type: string } };
type Model = { id: string; description: string; properties: Record<string, Prop>; subTypes?: string[] };

const prop = (type: string, required = true, description?: string): Prop => ({ type, required, ...(description ? { description } : {}) });
const list = (of: string, required = true): Prop => ({ type: `List[${of}]`, required });

const objectModels: Record<string, Model> = {
  CallerID: { id: 'CallerID', description: 'Caller id', properties: { name: prop('string'), number: prop('string') } },
  DialplanCEP: {
    id: 'DialplanCEP',
    description: 'Dialplan location',
    properties: { context: prop('string'), exten: prop('string'), priority: prop('long'), app_name: prop('string'), app_data: prop('string') },
  },
  Channel: {
    id: 'Channel',
    description: 'A channel',
    properties: {
      id: prop('string'),
      name: prop('string'),
      state: prop('string'),
      protocol_id: prop('string'),
      caller: prop('CallerID'),
      connected: prop('CallerID'),
      accountcode: prop('string'),
      dialplan: prop('DialplanCEP'),
      creationtime: prop('Date'),
      language: prop('string'),
      channelvars: prop('object', false),
    },
  },
  Bridge: {
    id: 'Bridge',
    description: 'A bridge',
    properties: {
      id: prop('string'),
      technology: prop('string'),
      bridge_type: prop('string'),
      bridge_class: prop('string'),
      creator: prop('string'),
      name: prop('string'),
      channels: list('string'),
      creationtime: prop('Date'),
      video_mode: prop('string', false),
    },
  },
  Playback: {
    id: 'Playback',
    description: 'A playback',
    properties: {
      id: prop('string'),
      media_uri: prop('string'),
      next_media_uri: prop('string', false),
      target_uri: prop('string'),
      language: prop('string', false),
      state: prop('string'),
    },
  },
  LiveRecording: {
    id: 'LiveRecording',
    description: 'A recording in progress',
    properties: {
      name: prop('string'),
      format: prop('string'),
      target_uri: prop('string'),
      state: prop('string'),
      duration: prop('int', false),
      talking_duration: prop('int', false),
      silence_duration: prop('int', false),
      cause: prop('string', false),
    },
  },
  StoredRecording: { id: 'StoredRecording', description: 'A recording on disk', properties: { name: prop('string'), format: prop('string') } },
  Endpoint: {
    id: 'Endpoint',
    description: 'An endpoint',
    properties: { technology: prop('string'), resource: prop('string'), state: prop('string', false), channel_ids: list('string') },
  },
  ContactInfo: {
    id: 'ContactInfo',
    description: 'A contact of an AOR',
    properties: { uri: prop('string'), contact_status: prop('string'), aor: prop('string'), roundtrip_usec: prop('string', false) },
  },
  Application: {
    id: 'Application',
    description: 'A Stasis application',
    properties: {
      name: prop('string'),
      channel_ids: list('string'),
      bridge_ids: list('string'),
      endpoint_ids: list('string'),
      device_names: list('string'),
      events_allowed: list('object'),
      events_disallowed: list('object'),
    },
  },
  AsteriskInfo: {
    id: 'AsteriskInfo',
    description: 'System information',
    properties: { build: prop('object', false), system: prop('object', false), config: prop('object', false), status: prop('object', false) },
  },
  AsteriskPing: { id: 'AsteriskPing', description: 'Liveness', properties: { asterisk_id: prop('string'), ping: prop('string'), timestamp: prop('string') } },
  Variable: { id: 'Variable', description: 'A variable value', properties: { value: prop('string') } },
  RTPstat: { id: 'RTPstat', description: 'RTP statistics', properties: { txcount: prop('int'), rxcount: prop('int'), channel_uniqueid: prop('string') } },
};

/** Every event the emulator sends, with the properties ari-client turns into objects. */
const eventProperties: Record<string, Record<string, Prop>> = {
  StasisStart: { args: list('string'), channel: prop('Channel'), replace_channel: prop('Channel', false) },
  StasisEnd: { channel: prop('Channel') },
  ChannelCreated: { channel: prop('Channel') },
  ChannelDestroyed: { cause: prop('int'), cause_txt: prop('string'), channel: prop('Channel') },
  ChannelStateChange: { channel: prop('Channel') },
  ChannelDtmfReceived: { digit: prop('string'), duration_ms: prop('int'), channel: prop('Channel') },
  ChannelHold: { channel: prop('Channel'), musicclass: prop('string', false) },
  ChannelUnhold: { channel: prop('Channel') },
  ChannelHangupRequest: { cause: prop('int', false), soft: prop('boolean', false), channel: prop('Channel') },
  ChannelVarset: { variable: prop('string'), value: prop('string'), channel: prop('Channel', false) },
  ChannelDialplan: { channel: prop('Channel'), dialplan_app: prop('string'), dialplan_app_data: prop('string') },
  ChannelEnteredBridge: { bridge: prop('Bridge'), channel: prop('Channel', false) },
  ChannelLeftBridge: { bridge: prop('Bridge'), channel: prop('Channel') },
  BridgeCreated: { bridge: prop('Bridge') },
  BridgeDestroyed: { bridge: prop('Bridge') },
  PlaybackStarted: { playback: prop('Playback') },
  PlaybackContinuing: { playback: prop('Playback') },
  PlaybackFinished: { playback: prop('Playback') },
  RecordingStarted: { recording: prop('LiveRecording') },
  RecordingFinished: { recording: prop('LiveRecording') },
  RecordingFailed: { recording: prop('LiveRecording') },
  Dial: {
    caller: prop('Channel', false),
    peer: prop('Channel'),
    forward: prop('string', false),
    forwarded: prop('Channel', false),
    dialstring: prop('string', false),
    dialstatus: prop('string'),
  },
  EndpointStateChange: { endpoint: prop('Endpoint') },
  ContactStatusChange: { endpoint: prop('Endpoint'), contact_info: prop('ContactInfo') },
  ApplicationReplaced: {},
};

export const eventTypes = Object.keys(eventProperties);

function eventModels(): Record<string, Model> {
  const models: Record<string, Model> = {
    Message: {
      id: 'Message',
      description: 'Base type of WebSocket messages',
      properties: { type: prop('string'), asterisk_id: prop('string', false) },
      subTypes: ['Event'],
    },
    Event: {
      id: 'Event',
      description: 'Base type of application events',
      properties: { application: prop('string'), timestamp: prop('Date') },
      subTypes: eventTypes,
    },
  };
  for (const [name, properties] of Object.entries(eventProperties)) {
    models[name] = { id: name, description: `${name} event`, properties };
  }
  return models;
}

const modelsByResource: Record<ResourceName, string[]> = {
  asterisk: ['AsteriskInfo', 'AsteriskPing', 'Variable'],
  endpoints: ['Endpoint'],
  channels: ['CallerID', 'DialplanCEP', 'Channel', 'Variable', 'RTPstat'],
  bridges: ['Bridge'],
  recordings: ['LiveRecording', 'StoredRecording'],
  playbacks: ['Playback'],
  events: ['ContactInfo'],
  applications: ['Application'],
};

const apiVersion = '9.0.0';

/** The resource listing at /ari/api-docs/resources.json (Asterisk declares Swagger 1.1 there). */
export function resourceListing(basePath: string): Record<string, unknown> {
  return {
    apiVersion,
    swaggerVersion: '1.1',
    basePath,
    apis: resourceNames.map((r) => ({ path: `/api-docs/${r}.{format}`, description: resourceDescriptions[r] })),
  };
}

/** One resource's API declaration at /ari/api-docs/<resource>.json. */
export function apiDeclaration(resource: ResourceName, basePath: string): Record<string, unknown> {
  const ops = operations.filter((o) => o.resource === resource);
  const paths = [...new Set(ops.map((o) => o.path))];
  const models: Record<string, Model> = {};
  for (const m of modelsByResource[resource]) {
    const model = objectModels[m];
    if (model) models[m] = model;
  }
  if (resource === 'events') Object.assign(models, eventModels());
  return {
    apiVersion,
    swaggerVersion: '1.2',
    basePath,
    resourcePath: `/api-docs/${resource}.{format}`,
    apis: paths.map((path) => ({
      path,
      description: ops.find((o) => o.path === path)?.summary ?? '',
      operations: ops
        .filter((o) => o.path === path)
        .map((o) => ({
          httpMethod: o.method,
          summary: o.summary,
          nickname: o.nickname,
          responseClass: o.responseClass,
          parameters: o.params.map((x) => ({
            name: x.name,
            description: x.description,
            paramType: x.in,
            required: x.required ?? false,
            allowMultiple: x.multiple ?? false,
            dataType: x.type,
            ...(x.defaultValue !== undefined ? { defaultValue: x.defaultValue } : {}),
            ...(x.values ? { allowableValues: { valueType: 'LIST', values: x.values } } : {}),
          })),
          errorResponses: o.errors.map(([code, reason]) => ({ code, reason })),
        })),
    })),
    models,
  };
}

/** Finds the operation for a method and a path below /ari; `allowed` lists methods the path has. */
export function matchOperation(method: string, path: string): { op?: OperationDef; params: Record<string, string>; pathExists: boolean } {
  let pathExists = false;
  for (const op of operations) {
    const params = matchPath(op.path, path);
    if (!params) continue;
    pathExists = true;
    if (op.method === method) return { op, params, pathExists };
  }
  return { params: {}, pathExists };
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/');
  const a = path.split('/');
  if (t.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] as string;
    const actual = a[i] as string;
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (actual === '') return undefined;
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (seg !== actual) {
      return undefined;
    }
  }
  return params;
}
