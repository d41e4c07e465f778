/**
 * The part of `asterisk-manager` 0.2.0 (untyped CommonJS) that the AMI adapter uses.
 * Packets arrive with lower-cased keys; a repeated key becomes an array; `Variable:` /
 * `ChanVariable:` lines become an object of name → value.
 */
declare module 'asterisk-manager' {
  export type RawAmiValue = string | string[] | Record<string, string>;
  export type RawAmiPacket = Record<string, RawAmiValue | undefined>;

  export interface RawAmiAction {
    action: string;
    actionid?: string;
    [header: string]: string | number | boolean | Record<string, string> | undefined;
  }

  export interface AsteriskManager {
    on(event: 'managerevent' | 'response', listener: (packet: RawAmiPacket) => void): void;
    on(event: 'error', listener: (err: Error) => void): void;
    on(event: 'connect' | 'close' | 'end', listener: () => void): void;
    removeAllListeners(event?: string): void;
    /** Opens the socket; the callback runs once, on connect only. */
    connect(port: number, host: string, callback?: () => void): void;
    /** Sends Login with the constructor's credentials; the callback gets the Error packet on refusal. */
    login(callback?: (err?: RawAmiPacket) => void): void;
    /** Sends an action; without a login it is held forever (the adapter never lets that happen). */
    action(action: RawAmiAction, callback?: (err: RawAmiPacket | undefined, response: RawAmiPacket) => void): string;
    disconnect(callback?: () => void): void;
    isConnected(): boolean;
  }

  /** Pass no port: the library then neither connects nor logs in by itself. */
  export default function Manager(
    port?: number,
    host?: string,
    username?: string,
    password?: string,
    events?: boolean,
  ): AsteriskManager;
}
