export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

export interface DeviceOption {
  id: string;
  label: string;
}

export type DeviceLists = Record<DeviceKind, DeviceOption[]>;

const NOUN: Record<DeviceKind, string> = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' };

export const noDevices = (): DeviceLists => ({ audioinput: [], videoinput: [], audiooutput: [] });

/** Whether the browser lets a page choose where sound plays (Chromium and Firefox do; Safari does not). */
export const canChooseOutput = () =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * The devices to offer in the pickers. Chromium's `default` and `communications` entries stand for another entry of
 * the list, which the pickers' own "Default" option covers. Labels are empty until the page may use a device; those
 * devices get a numbered name meanwhile.
 */
export async function listDevices(): Promise<DeviceLists> {
  const lists = noDevices();
  for (const device of await navigator.mediaDevices.enumerateDevices()) {
    const kind = device.kind as DeviceKind;
    if (!lists[kind] || !device.deviceId || device.deviceId === 'default' || device.deviceId === 'communications') {
      continue;
    }
    lists[kind].push({ id: device.deviceId, label: device.label || `${NOUN[kind]} ${lists[kind].length + 1}` });
  }
  return lists;
}
