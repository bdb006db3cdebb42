import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { boundingBox, distanceKm, inBox, roundKm, type Point } from './great-circle.ts';

const PORTLAND_OR = { lat: 45.5152, lon: -122.6784 };
const SEATTLE = { lat: 47.6062, lon: -122.3321 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
const LOS_ANGELES = { lat: 34.0522, lon: -118.2437 };
const LONDON = { lat: 51.5074, lon: -0.1278 };
const PARIS = { lat: 48.8566, lon: 2.3522 };

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} km, expected ${expected} ± ${tolerance}`);

describe('great-circle distances', () => {
  test('known city pairs', () => {
    near(distanceKm(PORTLAND_OR, SEATTLE), 233, 2, 'Portland OR → Seattle');
    near(distanceKm(NEW_YORK, LOS_ANGELES), 3936, 10, 'New York → Los Angeles');
    near(distanceKm(LONDON, PARIS), 344, 2, 'London → Paris');
    assert.equal(distanceKm(SEATTLE, SEATTLE), 0);
    assert.equal(distanceKm(PORTLAND_OR, SEATTLE), distanceKm(SEATTLE, PORTLAND_OR), 'symmetric');
  });

  test('across the antimeridian and over a pole', () => {
    near(distanceKm({ lat: 0, lon: 179.9 }, { lat: 0, lon: -179.9 }), 22.2, 0.1, 'two sides of ±180°');
    near(distanceKm({ lat: 89.9, lon: 0 }, { lat: 89.9, lon: 180 }), 22.2, 0.1, 'over the North Pole');
  });

  test('rounded to 0.1 km for listings', () => {
    assert.equal(roundKm(12.345), 12.3);
    assert.equal(roundKm(0.04), 0);
  });
});

describe('bounding boxes', () => {
  test('a box around Portland holds Seattle at 250 km and not at 200 km', () => {
    assert.equal(inBox(boundingBox(PORTLAND_OR, 250), SEATTLE), true);
    assert.equal(inBox(boundingBox(PORTLAND_OR, 200), SEATTLE), false);
    assert.equal(boundingBox(PORTLAND_OR, 250).lon.length, 1);
  });

  test('a box crossing ±180° is two longitude ranges, and holds points on both sides', () => {
    const box = boundingBox({ lat: -17.7, lon: 179.5 }, 100);
    assert.equal(box.lon.length, 2);
    assert.equal(inBox(box, { lat: -17.7, lon: -179.8 }), true, 'east of the line');
    assert.equal(inBox(box, { lat: -17.7, lon: 179.2 }), true, 'west of the line');
    assert.equal(inBox(box, { lat: -17.7, lon: 0 }), false);
    const west = boundingBox({ lat: 51.9, lon: -179.6 }, 100);
    assert.equal(west.lon.length, 2);
    assert.equal(inBox(west, { lat: 51.9, lon: 179.9 }), true);
  });

  test('a box reaching a pole spans every longitude', () => {
    for (const pole of [
      { lat: 89.5, lon: 30 },
      { lat: -89.5, lon: -60 },
    ]) {
      const box = boundingBox(pole, 100);
      assert.deepEqual(box.lon, [{ min: -180, max: 180 }]);
      assert.ok(box.lat.max <= 90 && box.lat.min >= -90);
    }
  });

  test('every point within the radius is inside the box (random centres and bearings)', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const center: Point = { lat: random() * 178 - 89, lon: random() * 360 - 180 };
      const radius = 1 + random() * 499;
      const box = boundingBox(center, radius);
      // A point at `radius * 0.999` along a random bearing (the direct geodesic problem on the sphere).
      const angle = (radius * 0.999) / 6371.0088;
      const bearing = random() * 2 * Math.PI;
      const lat1 = (center.lat * Math.PI) / 180;
      const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angle) + Math.cos(lat1) * Math.sin(angle) * Math.cos(bearing));
      const lon2 =
        (center.lon * Math.PI) / 180 +
        Math.atan2(
          Math.sin(bearing) * Math.sin(angle) * Math.cos(lat1),
          Math.cos(angle) - Math.sin(lat1) * Math.sin(lat2),
        );
      const point = { lat: (lat2 * 180) / Math.PI, lon: (((lon2 * 180) / Math.PI + 540) % 360) - 180 };
      assert.ok(distanceKm(center, point) <= radius, 'the sample point is within the radius');
      assert.equal(inBox(box, point), true, `${JSON.stringify({ center, radius, point })}`);
    }
  });
});
