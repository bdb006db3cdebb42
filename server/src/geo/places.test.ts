import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { distanceKm, type Point } from './great-circle.ts';
import { addressPoint, cityPoint, placePoint, postcodePoint } from './places.ts';

const within = (a: Point | null, b: Point | null, km: number, what: string) => {
  assert.ok(a && b, `${what}: both places are known`);
  const d = distanceKm(a, b);
  assert.ok(d <= km, `${what}: ${d.toFixed(1)} km apart, expected at most ${km}`);
};

describe('places from the offline postcode table', () => {
  test('US ZIP codes, with or without the +4 part, and Canadian postcodes by their first three characters', () => {
    within(postcodePoint('97201'), { lat: 45.5078, lon: -122.6897 }, 0.1, '97201');
    assert.deepEqual(postcodePoint('97201-1234'), postcodePoint('97201'));
    assert.deepEqual(postcodePoint('h2x 1y4'), postcodePoint('H2X'));
    within(postcodePoint('H2X 1Y4'), { lat: 45.5148, lon: -73.5739 }, 0.1, 'H2X 1Y4');
    assert.equal(postcodePoint('SW1A 1AA'), null, 'a UK postcode is not in the table');
    assert.equal(postcodePoint('00000'), null);
  });

  test('cities by name, accents and case ignored; same-named cities told apart by state', () => {
    const portland = cityPoint('Portland');
    within(portland, { lat: 45.5152, lon: -122.6784 }, 15, 'Portland is the Oregon one (most postcodes)');
    within(placePoint('Portland, ME'), { lat: 43.6591, lon: -70.2568 }, 15, 'Portland, ME');
    within(placePoint('portland maine'), { lat: 43.6591, lon: -70.2568 }, 15, 'portland maine');
    within(placePoint('Portland OR'), portland, 0.1, 'Portland OR');
    within(placePoint('Montréal'), { lat: 45.5017, lon: -73.5673 }, 15, 'Montréal from its districts');
    within(placePoint('toronto'), { lat: 43.6532, lon: -79.3832 }, 15, 'Toronto');
    within(placePoint('New York'), { lat: 40.7128, lon: -74.006 }, 20, 'New York');
    assert.equal(placePoint('Atlantis'), null);
    assert.equal(placePoint('Portland, Narnia'), null, 'a region that does not exist is not ignored');
  });

  test('Portland OR → Seattle is about 233 km between the table’s city centres', () => {
    const d = distanceKm(placePoint('Portland, OR')!, placePoint('Seattle, WA')!);
    assert.ok(d > 215 && d < 250, `${d}`);
  });

  test('a practice’s address: postcode first, else city and region; other countries have no point', () => {
    within(addressPoint({ city: 'Nowhere', postcode: '98101', country: 'US' }), placePoint('Seattle'), 10, 'ZIP wins');
    within(
      addressPoint({ city: 'Springfield', region: 'IL', country: 'US' }),
      { lat: 39.7817, lon: -89.6501 },
      15,
      'IL',
    );
    within(addressPoint({ city: 'Springfield', region: 'MA' }), { lat: 42.1015, lon: -72.5898 }, 15, 'MA');
    assert.equal(addressPoint({ city: 'Berlin', postcode: '10115', country: 'DE' }), null, 'not a US ZIP in Germany');
    assert.equal(addressPoint({}), null);
  });
});
