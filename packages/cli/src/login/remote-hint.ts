// Whether this terminal looks like one whose browser cannot reach the loopback listener of the
// same-device flow: an SSH session, or Linux with no display. Keyless then says that
// `keyless login --remote` exists, but does not switch by itself (README, "Logging in from a
// remote machine"): with port forwarding (VS Code Remote, `ssh -L`) the same-device flow still
// works, and a command should not change protocol behind a script's back.
type Env = Readonly<Record<string, string | undefined>>;

export type RemoteReason = 'ssh' | 'no-display';

export function remoteReason(env: Env, platform: NodeJS.Platform): RemoteReason | undefined {
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return 'ssh';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY && !env.WSL_DISTRO_NAME) return 'no-display';
  return undefined;
}

export function remoteHint(reason: RemoteReason): string {
  const why = reason === 'ssh' ? 'This looks like an SSH session' : 'This machine has no graphical display';
  return `${why}: the sign-in must finish in a browser on this machine. If you will sign in on another device, press Ctrl-C and run \`keyless login --remote\` instead.`;
}
