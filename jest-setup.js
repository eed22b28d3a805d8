// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no canvas; @grafana/ui's Combobox measures option text with one.
HTMLCanvasElement.prototype.getContext = function getContext() {
  return { measureText: (text) => ({ width: String(text).length * 8 }), font: '' };
};

// jsdom has no IntersectionObserver; @grafana/ui's menus (ScrollIndicators) create one. This one never
// reports an intersection, which only hides scroll shadows.
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = NoIntersectionObserver;
