import type { PracticePublic } from '@clocktree/protocol';
import { css, html, nothing } from 'lit';

/** Up to two letters standing in for a practice without a photo: "Maple Street Counseling" → "MS". */
export function initials(name: string): string {
  const words = name.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  return words
    .slice(0, 2)
    .map((word) => [...word][0]!.toLocaleUpperCase())
    .join('');
}

/** A `tel:` link for a phone number as people write it: only the digits and a leading `+` survive. */
export const telHref = (phone: string) => `tel:${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`;

/** "1420 Maple Street, Portland, OR 97214": the parts that are filled in, in the order a letter has them. */
export function addressLine(address: PracticePublic['address'], full = true): string {
  const place = [address.region, address.postcode].filter(Boolean).join(' ');
  return [full ? address.street : '', address.city, full ? place : ''].filter(Boolean).join(', ');
}

export interface PracticeHeader {
  practice: Pick<PracticePublic, 'name' | 'phone' | 'photoUrl' | 'address'>;
  /** Id of the name's heading, so a card or a panel can be labelled by it. */
  headingId: string;
  /** `h2` on a practice's own page, `h3` for a card in a list under the directory's heading. */
  level: 2 | 3;
  /** The whole street address (practice card) or only the city (directory card). */
  fullAddress: boolean;
}

/**
 * What <ct-directory>'s cards and <ct-practice-card> show alike: photo (or initials), name, where, phone. The photo is
 * decorative (the name is beside it), so it has no alternative text.
 */
export function renderPracticeHeader({ practice, headingId, level, fullAddress }: PracticeHeader) {
  const name =
    level === 2
      ? html`<h2 part="name" id=${headingId}>${practice.name}</h2>`
      : html`<h3 part="name" id=${headingId}>${practice.name}</h3>`;
  const where = addressLine(practice.address, fullAddress);
  return html`<div part="header">
    ${
      practice.photoUrl
        ? html`<img part="photo" src=${practice.photoUrl} alt="" width="64" height="64" loading="lazy" />`
        : html`<span part="photo initials" aria-hidden="true">${initials(practice.name)}</span>`
    }
    <div part="identity">
      ${name} ${where ? html`<p part="address">${where}</p>` : nothing}
      ${
        practice.phone
          ? html`<p part="phone-line">
              <a part="phone" href=${telHref(practice.phone)} aria-label=${`Call ${practice.name}: ${practice.phone}`}
                >${practice.phone}</a
              >
            </p>`
          : nothing
      }
    </div>
  </div>`;
}

export const practiceHeaderStyles = css`
  [part~='header'] {
    display: flex;
    gap: calc(var(--ct-spacing, 1rem) * 0.75);
    align-items: center;
    min-width: 0;
  }

  [part~='photo'] {
    flex: none;
    width: 4rem;
    height: 4rem;
    border-radius: 50%;
    object-fit: cover;
  }

  [part~='initials'] {
    display: grid;
    place-items: center;
    background: var(--ct-color-surface, #f3f4f6);
    color: var(--ct-color-muted, #52606d);
    font-weight: 600;
    font-size: 1.25em;
  }

  [part~='identity'] {
    min-width: 0;
    overflow-wrap: anywhere;
  }

  [part~='name'] {
    margin: 0;
    font-size: 1.125em;
    line-height: 1.3;
  }

  [part~='address'],
  [part~='phone-line'] {
    margin: 0;
    color: var(--ct-color-muted, #52606d);
  }

  [part~='phone'] {
    color: var(--ct-color-primary, #1d4ed8);
  }
`;
