import { mount } from 'svelte';
import '../styles/theme.css';
import './console.css';
import ConsoleApp from './components/ConsoleApp.svelte';
import { Router } from './state/router.svelte';
import { ConsoleSession } from './state/session.svelte';

const session = new ConsoleSession();
const router = new Router();

mount(ConsoleApp, {
  target: document.getElementById('app')!,
  props: { session, router },
});
void session.check();
