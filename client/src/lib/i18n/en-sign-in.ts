/**
 * The sign-in prompt's words in English (components/SignInPrompt.svelte): only SELF and WORKSPACE
 * embeds show it, so they load with its chunk, which adds them to English (`addEnglish`), rather than
 * in every embed's first load. The other languages' catalogs hold them with the rest of their words.
 */
export const enSignIn = {
  private: 'This embed is private.',
  signInHint: 'Sign in to Porthole to see it.',
  blocked: 'Your browser blocked the sign-in window.',
  openSignIn: 'Open the sign-in window',
  waiting: 'Finish signing in in the window that opened.',
  signIn: 'Sign in to view',
  forbidden: "You don't have access to this embed.",
  forbiddenHint: "It isn't shared with the account you signed in with. Ask whoever shared it for access.",
};
