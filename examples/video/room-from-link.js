// The quick link carries the room's id and nothing else; the element asks the API for everything it shows.
const params = new URLSearchParams(location.search);
const room = document.querySelector('ct-video-room');
for (const key of ['appointment', 'call']) {
  const id = params.get(key);
  if (room && id && /^[0-9a-f]{24}$/.test(id)) room.setAttribute(key, id);
}
