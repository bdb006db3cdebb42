// The page's own code, as a framework would run it: it creates and removes <ct-contact-us> elements at will. The
// SDK loader notices elements added at any time, and each element cleans up after itself when removed.
const main = document.querySelector('main');
const practice = main.dataset.practice;
const slots = [document.getElementById('slot-0'), document.getElementById('slot-1')];
const counters = {
  mounted: document.getElementById('mounted'),
  mounts: document.getElementById('mounts'),
  errors: document.getElementById('errors'),
};
const log = document.getElementById('log');
let mounts = 0;
let errors = 0;

function note(text) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  log.prepend(item);
  while (log.children.length > 30) log.lastElementChild.remove();
}

function refresh() {
  counters.mounted.textContent = String(slots.filter((slot) => slot.firstElementChild).length);
  counters.mounts.textContent = String(mounts);
  counters.errors.textContent = String(errors);
}

function mount(index) {
  const element = document.createElement('ct-contact-us');
  element.setAttribute('practice', practice);
  slots[index].replaceChildren(element);
  mounts += 1;
  refresh();
}

function unmount(index) {
  slots[index].replaceChildren();
  refresh();
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

async function remountMany(times) {
  for (let i = 0; i < times; i += 1) {
    unmount(0);
    unmount(1);
    await nextFrame();
    mount(0);
    mount(1);
    await nextFrame();
  }
  note(`remounted both ${times} times; errors so far: ${errors}`);
}

document.querySelector('.controls').addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  const index = Number(button.dataset.slot);
  if (button.dataset.action === 'mount') mount(index);
  if (button.dataset.action === 'unmount') unmount(index);
  if (button.dataset.action === 'remount-many') void remountMany(20);
});

// The widgets' events bubble out of their shadow roots to the page.
document.addEventListener('ct-sent', (event) => note(`ct-sent: thread ${event.detail.threadId}`));
document.addEventListener('ct-error', (event) => note(`ct-error: ${event.detail.code}`));

window.addEventListener('error', (event) => {
  errors += 1;
  note(`error: ${event.message}`);
  refresh();
});
window.addEventListener('unhandledrejection', (event) => {
  errors += 1;
  note(`unhandled rejection: ${event.reason}`);
  refresh();
});

mount(0);
mount(1);
