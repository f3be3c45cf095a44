import { mount } from 'svelte';
import '../styles/theme.css';
import './console.css';
import ConsoleApp from './components/ConsoleApp.svelte';
import EmbedSignInApp from './components/EmbedSignInApp.svelte';
import { Invitation } from './state/invitation.svelte';
import { Router } from './state/router.svelte';
import { ConsoleSession } from './state/session.svelte';

const session = new ConsoleSession();
const router = new Router();

// The sign-in popup an embed opens ("Sign in to view") is the console too, showing only sign-in.
if (location.pathname === '/console/embed-sign-in') mount(EmbedSignInApp, { target: document.getElementById('app')!, props: { session } });
else {
  // `/console/invite?code=…`: an invitation link; the person chooses a password there.
  const inviteCode = location.pathname === '/console/invite' ? new URLSearchParams(location.search).get('code') : null;
  const invitation = inviteCode ? new Invitation(inviteCode) : null;
  mount(ConsoleApp, { target: document.getElementById('app')!, props: { session, router, invitation } });
}
void session.check();
