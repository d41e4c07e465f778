/**
 * Architecture rules checked by `npm run lint` (dependency-cruiser). TypeScript type-only
 * imports count: DESIGN.md allows no import circle, not even a type-only one.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules depend downward and inward; a circle means a type or a function sits in the wrong module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'ari-client-only-in-ari-adapter',
      severity: 'error',
      from: { pathNot: '^src/telephony/ari/' },
      to: { path: 'node_modules/ari-client/' },
    },
    {
      name: 'asterisk-manager-only-in-ami-adapter',
      severity: 'error',
      from: { pathNot: '^src/telephony/ami/' },
      to: { path: 'node_modules/asterisk-manager/' },
    },
    {
      name: 'fluent-ffmpeg-only-in-media-adapter',
      severity: 'error',
      from: { pathNot: '^src/telephony/media/' },
      to: { path: 'node_modules/fluent-ffmpeg/' },
    },
    {
      name: 'nodemailer-only-in-mail-adapter',
      severity: 'error',
      from: { pathNot: '^src/mail/mailer\\.ts$' },
      to: { path: 'node_modules/nodemailer/' },
    },
    {
      name: 'werift-only-in-the-emulators-webrtc-leg',
      severity: 'error',
      from: { pathNot: '^src/telephony/emulator/sip/webrtc-leg\\.ts$' },
      to: { path: 'node_modules/werift/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};
