/** A ref callback that moves focus to an element when it appears (a result after a submit). */
export const focusOnMount = (el: HTMLElement | null): void => {
  el?.focus();
};
