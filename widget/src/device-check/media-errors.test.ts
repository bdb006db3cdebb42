import { expect } from '@open-wc/testing';
import { explainMediaError, mediaSupport } from './media-errors.ts';

const AGENTS = {
  chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  firefox: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0',
  safari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  other: 'SomeEmbeddedBrowser/1.0',
};

const denied = (userAgent: string) =>
  explainMediaError(new DOMException('denied', 'NotAllowedError'), { userAgent }).help.join(' ');

describe('explainMediaError', () => {
  it('classifies each name browsers use', () => {
    const cases: [string, string][] = [
      ['NotAllowedError', 'permission-denied'],
      ['PermissionDeniedError', 'permission-denied'],
      ['NotFoundError', 'no-device'],
      ['DevicesNotFoundError', 'no-device'],
      ['OverconstrainedError', 'no-device'],
      ['NotReadableError', 'device-busy'],
      ['TrackStartError', 'device-busy'],
      ['AbortError', 'device-busy'],
      ['SecurityError', 'unsupported'],
      ['TypeError', 'unknown'],
    ];
    for (const [name, code] of cases) {
      expect(explainMediaError(new DOMException('x', name)).code, name).to.equal(code);
    }
    expect(explainMediaError(new TypeError('no constraints')).code).to.equal('unknown');
    expect(explainMediaError(undefined).code).to.equal('unknown');
    expect(explainMediaError({ name: 'NotAllowedError' }).code, 'a plain object is not trusted').to.equal('unknown');
  });

  it('gives the steps of the browser in use to allow the camera and microphone', () => {
    expect(denied(AGENTS.chrome)).to.match(/site settings icon at the left end of the address bar/);
    expect(denied(AGENTS.edge)).to.match(/site settings icon at the left end of the address bar/);
    expect(denied(AGENTS.firefox)).to.match(/Clear “Blocked”/);
    expect(denied(AGENTS.safari)).to.match(/Settings for This Website/);
    expect(denied(AGENTS.iphone)).to.match(/Website Settings/);
    expect(denied(AGENTS.other)).to.match(/browser's settings for this website/);
    for (const agent of Object.values(AGENTS)) {
      expect(denied(agent)).to.match(/Reload this page/);
      expect(denied(agent)).to.match(/Privacy & Security/);
    }
  });

  it('names the one device that failed when told which', () => {
    const busy = explainMediaError(new DOMException('x', 'NotReadableError'), { device: 'camera' });
    expect(busy.title).to.equal('Your camera could not be started: another app may be using it');
    const missing = explainMediaError(new DOMException('x', 'NotFoundError'), { device: 'microphone' });
    expect(missing.title).to.equal('No microphone was found');
    expect(missing.help[0]).to.match(/^Check that your microphone is plugged in/);
    const both = explainMediaError(new DOMException('x', 'NotAllowedError'));
    expect(both.title).to.equal('Your browser is not allowing this page to use your camera and microphone');
  });
});

describe('mediaSupport', () => {
  const capable = {
    isSecureContext: true,
    navigator: { mediaDevices: { getUserMedia: () => undefined } },
    RTCPeerConnection: function RTCPeerConnection() {},
  };

  it('accepts this browser, and any with a secure page, getUserMedia and WebRTC', () => {
    expect(mediaSupport()).to.deep.equal({ ok: true });
    expect(mediaSupport(capable)).to.deep.equal({ ok: true });
  });

  it('says what is missing, and what to do', () => {
    const insecure = mediaSupport({ ...capable, isSecureContext: false });
    expect(insecure).to.include({ ok: false, reason: 'insecure-context' });
    expect(insecure.ok || insecure.explanation.help.join(' ')).to.match(/https/);
    expect(mediaSupport({ ...capable, navigator: {} })).to.include({ reason: 'no-media-devices' });
    expect(mediaSupport({ ...capable, navigator: { mediaDevices: {} } })).to.include({ reason: 'no-media-devices' });
    const noWebRtc = mediaSupport({ ...capable, RTCPeerConnection: undefined });
    expect(noWebRtc).to.include({ reason: 'no-webrtc' });
    expect(noWebRtc.ok || noWebRtc.explanation).to.include({
      code: 'unsupported',
      title: 'This browser cannot make video calls',
    });
  });
});
