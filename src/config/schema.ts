import { Type, type Static } from '@sinclair/typebox';

const Str = (opts: Parameters<typeof Type.String>[0] = {}) => Type.String(opts);

export const ConfigSchema = Type.Object(
  {
    http: Type.Object(
      {
        host: Str({ minLength: 1 }),
        port: Type.Integer({ minimum: 0, maximum: 65535 }),
        /** Origins allowed by CORS; empty means CORS stays closed. */
        corsOrigins: Type.Array(Str({ minLength: 1 })),
        /** Set the session cookie's Secure flag (enable behind HTTPS). */
        cookieSecure: Type.Boolean(),
        trustProxy: Type.Boolean(),
        /** The built web app served at `/`; empty: the project's own `web/dist`. */
        webDir: Str(),
        /**
         * The address users reach Atende at (e.g. https://atende.example.com); mailed links start
         * with it. Never taken from a request's Host header, which a client chooses.
         */
        publicUrl: Str({ maxLength: 300 }),
      },
      { additionalProperties: false },
    ),
    dataDir: Str({ minLength: 1 }),
    log: Type.Object(
      { level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))) },
      { additionalProperties: false },
    ),
    timezone: Str({ minLength: 1 }),
    auth: Type.Object(
      {
        sessionTtlMinutes: Type.Integer({ minimum: 1 }),
        /** Failed logins per login within the window; then locked out, twice as long each time. */
        loginMaxFailures: Type.Integer({ minimum: 1 }),
        /** Failed logins per client address within the window (many agents share one address behind NAT). */
        loginMaxFailuresPerAddress: Type.Integer({ minimum: 1 }),
        loginWindowSeconds: Type.Integer({ minimum: 1 }),
        /** Cap of the per-login back-off. */
        loginMaxLockoutSeconds: Type.Integer({ minimum: 1 }),
        /** How long a "forgot password" link works. */
        passwordResetMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
        /** How long a first-access link an admin sends works. */
        accessLinkHours: Type.Integer({ minimum: 1, maximum: 720 }),
      },
      { additionalProperties: false },
    ),
    /** Password of the first super user `admin`; random (and written to the data dir) when empty. */
    adminPassword: Type.Optional(Str()),
    seedDemo: Type.Boolean(),
    shutdownGraceMs: Type.Integer({ minimum: 0 }),
    routing: Type.Object(
      {
        /**
         * An agent whose desk is closed (no events socket of its user left) is logged out of its
         * queues after this many seconds, so that it is not offered calls nobody sees; 0: never.
         */
        closedDeskLogoutSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
      },
      { additionalProperties: false },
    ),
    contacts: Type.Object(
      {
        /** The largest CSV an import accepts, in MiB; a larger upload is refused before a row is read. */
        importMaxMb: Type.Integer({ minimum: 1, maximum: 4096 }),
      },
      { additionalProperties: false },
    ),
    asterisk: Type.Object(
      {
        ari: Type.Object(
          {
            /** Base URL of Asterisk's HTTP server, e.g. http://127.0.0.1:8088. Empty: run the emulator. */
            url: Str(),
            user: Str(),
            password: Str(),
            app: Str({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$' }),
          },
          { additionalProperties: false },
        ),
        ami: Type.Object(
          {
            host: Str(),
            port: Type.Integer({ minimum: 1, maximum: 65535 }),
            user: Str(),
            secret: Str(),
          },
          { additionalProperties: false },
        ),
        /** A directory Asterisk reads where Atende installs its prompts at start; empty: play them from the project's `sounds/`. */
        soundsDir: Str(),
        /**
         * Asterisk's configuration directory (usually /etc/asterisk): apply writes Atende's files
         * into its `atende/` subdirectory. Empty: with the emulator, its own directory under the
         * data dir; with a real Asterisk, apply is refused until it is set.
         */
        configDir: Str(),
        /**
         * The WSS URL browsers reach Asterisk's SIP WebSocket at (res_pjsip_transport_websocket
         * on its HTTPS server, e.g. wss://pbx.example.com:8089/ws). Empty: the emulator's; with
         * a real Asterisk, the webphone says it is not configured.
         */
        webphoneUrl: Type.String({ maxLength: 300, pattern: '^(wss?://[^\\s]+)?$' }),
      },
      { additionalProperties: false },
    ),
    media: Type.Object(
      {
        /** An ffmpeg executable to use instead of the one npm installed with `@ffmpeg-installer/ffmpeg`. */
        ffmpegPath: Str(),
        /** Largest prompt file accepted for upload, in bytes. */
        maxUploadBytes: Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024 }),
        /** Longest prompt accepted (uploaded or spoken), in seconds. */
        maxDurationSeconds: Type.Integer({ minimum: 1, maximum: 4 * 3600 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

/** Derived: true when no Asterisk is named and the built-in emulator stands in for it. */
export const usesEmulator = (c: Config): boolean => c.asterisk.ari.url === '';
