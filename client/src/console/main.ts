import { mount } from 'svelte';
import '../styles/theme.css';
import './console.css';
import ConsoleApp from './components/ConsoleApp.svelte';
import EmbedSignInApp from './components/EmbedSignInApp.svelte';
import { Router } from './state/router.svelte';
import { ConsoleSession } from './state/session.svelte';

const session = new ConsoleSession();
const router = new Router();

// The sign-in popup an embed opens ("Sign in to view") is the console too, showing only sign-in.
if (location.pathname === '/console/embed-sign-in') mount(EmbedSignInApp, { target: document.getElementById('app')!, props: { session } });
else mount(ConsoleApp, { target: document.getElementById('app')!, props: { session, router } });
void session.check();
