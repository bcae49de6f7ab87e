// The organisers' console: signs in (OAuth 2.0 code flow with PKCE), then routes by the hash.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { CONSOLE_CONFIG_FILE, type ConsoleConfig } from '../csp';
import { createApi } from './api';
import {
  completeSignIn,
  currentSession,
  districtWide,
  signIn,
  signOut,
  type Session,
} from './auth';
import { Activities } from './pages/activities';
import { Activity } from './pages/activity';
import { JurisdictionPage } from './pages/jurisdiction';
import { ReferralPage, Referrals } from './pages/referrals';
import { Reference } from './pages/reference';
import { Schedule } from './pages/schedule';
import { Report, Statistics } from './pages/statistics';
import { Today } from './pages/today';
import { Ctx, L, STREET_NAMES, ScopeName } from './ui';

const NAV = [
  { href: '#/today', zh: '今日待办', en: 'Today' },
  { href: '#/activities', zh: '活动', en: 'Activities' },
  { href: '#/referrals', zh: '督办', en: 'Referrals' },
  { href: '#/reference', zh: '基础数据', en: 'Reference data' },
  { href: '#/jurisdiction', zh: '辖区', en: 'Jurisdiction' },
  { href: '#/statistics', zh: '统计', en: 'Statistics' },
];

const useHash = () => {
  const [hash, setHash] = useState(location.hash || '#/today');
  useEffect(() => {
    const onChange = () => {
      setHash(location.hash || '#/today');
      document.getElementById('main')?.focus();
    };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
};

function route(hash: string) {
  const [section, id, sub] = hash.replace(/^#\//, '').split('/').map(decodeURIComponent);
  switch (section) {
    case 'activities':
      if (id === 'new') return <Schedule />;
      if (id && sub === 'report') return <Report id={id} />;
      return id ? <Activity id={id} /> : <Activities />;
    case 'referrals':
      return id ? <ReferralPage id={id} /> : <Referrals />;
    case 'reference':
      return <Reference tab={id} />;
    case 'jurisdiction':
      return <JurisdictionPage />;
    case 'statistics':
      return <Statistics />;
    default:
      return <Today />;
  }
}

function App({ config, session }: { config: ConsoleConfig; session: Session }) {
  const hash = useHash();
  const canWrite = session.groups.includes('organiser');
  const api = useMemo(() => createApi(config, currentSession), [config]);
  const section = `#/${hash.replace(/^#\//, '').split('/')[0]}`;
  return (
    <Ctx.Provider value={{ api, session, canWrite }}>
      <a class="skip" href="#main">
        跳到正文 Skip to content
      </a>
      <header class="top">
        <p class="brand">
          <L zh="联动 · 组织者工作台" en="Liandong console" />
        </p>
        <nav aria-label="主导航 Main">
          {NAV.map((item) => (
            <a
              key={item.href}
              href={item.href}
              aria-current={section === item.href ? 'page' : undefined}
            >
              <L zh={item.zh} en={item.en} />
            </a>
          ))}
        </nav>
        <p class="who">
          {session.name} ·{' '}
          {canWrite ? (
            <L zh="组织者" en="Organiser" />
          ) : (
            <L zh="审计（只读）" en="Auditor (read-only)" />
          )}
          {districtWide(session) || session.street ? (
            <>
              {' '}
              · <ScopeName session={session} />
            </>
          ) : null}{' '}
          <button type="button" class="link" onClick={() => signOut(config)}>
            <L zh="退出" en="Sign out" />
          </button>
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        {route(hash)}
      </main>
    </Ctx.Provider>
  );
}

async function start() {
  const root = document.getElementById('app')!;
  const config = (await (await fetch(CONSOLE_CONFIG_FILE)).json()) as ConsoleConfig;
  try {
    const returnTo = await completeSignIn(config);
    if (returnTo) location.hash = returnTo;
  } catch (err) {
    root.textContent = `登录失败 Sign-in failed: ${(err as Error).message}`;
    return;
  }
  const session = currentSession();
  if (!session) {
    await signIn(config, location.hash || '#/today');
    return;
  }
  // The district's streets (names and codes) come from the API, not from the bundle.
  try {
    const { jurisdiction } = await createApi(config, currentSession).get<{
      jurisdiction: { streets: { code: string; name: { zh: string; en: string } }[] };
    }>('/jurisdiction');
    for (const street of jurisdiction.streets) STREET_NAMES[street.code] = street.name;
  } catch (err) {
    root.textContent = `读取辖区失败 Could not read the district: ${(err as Error).message}`;
    return;
  }
  root.replaceChildren();
  render(<App config={config} session={session} />, root);
}

void start();
