/**
 * Email unsubscribe end to end on the local stack: a window run sends the reminder email through the SES
 * sandbox (templates rendered as SES renders them), the fan follows the one-click link of that email to
 * the unsubscribe function URL, the opt-out lands in the opt-outs table, and the next window's reminder to
 * that address is not sent (OPTED_OUT), while another fan of the same sale still gets theirs.
 */
import type { Session } from '#local/session';
import { decodeTagValue, NOTIFICATION_KEY_TAG } from '#shared/clients/ses-event';
import { hashContact } from '#shared/domain/contacts';
import { notificationKey } from '#shared/domain/keys';
import { DEMO_WINDOW, processedSales, US_EVENT, useWindowSession } from '#test/helpers/window';

const ADDRESS = 'Unsub.Fan@Example.org';
/** The next window with a sale of the same event: its Citi presale starts 2026-12-09 15:00 UTC. */
const NEXT_WINDOW = '2026-12-09T14:30:00.000Z';

function signUp(session: Session, fanId: string, contact: string): Promise<void> {
  return session.seedSignUp({
    eventId: US_EVENT,
    fanId,
    channel: 'EMAIL',
    contact,
    brand: 'ticketmaster',
    locale: 'en-us',
    createdAt: new Date().toISOString(),
  });
}

function emailsTo(session: Session, address: string) {
  return session.stack.sandboxes.ses.emails.filter((email) => email.to === address);
}

describe('email unsubscribe on the local stack', () => {
  const setup = useWindowSession({
    seed: async (session) => {
      await signUp(session, 'fan-unsub', ADDRESS);
      await signUp(session, 'fan-stays', 'stays@example.org');
    },
  });

  it('records the opt-out of the one-click link in the sent email, and the next window does not email that address', async () => {
    const { session } = setup;
    const first = await session.run({ scheduledTime: DEMO_WINDOW });
    expect(first.status).toBe('SUCCEEDED');
    const [firstSale] = processedSales(first, US_EVENT);
    expect(firstSale).toBeDefined();
    await session.settleDelivery();

    // The email SES would deliver: RFC 8058 headers and the visible link, the same signed URL.
    const [email, ...others] = emailsTo(session, ADDRESS);
    expect(others).toEqual([]);
    expect(decodeTagValue(email?.tags[NOTIFICATION_KEY_TAG] ?? '')).toBe(
      notificationKey(firstSale?.saleId ?? '', 'fan-unsub', 'EMAIL'),
    );
    const header = email?.headers['List-Unsubscribe'] ?? '';
    expect(email?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const link = /^<(https?:\/\/[^>]+)>$/.exec(header)?.[1] ?? '';
    expect(link.startsWith(session.stack.endpoints.unsubscribeWebhook)).toBe(true);
    expect(email?.rendered?.html).toContain(`href="${link}"`);
    expect(email?.rendered?.text).toContain(link);

    const contactHash = hashContact(ADDRESS);
    // A GET (a mail scanner, or the fan opening the link) shows the confirmation page and records nothing.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(await session.repos.optOuts.optedOut([contactHash])).toEqual(new Set());

    // The mailbox provider's one-click POST (RFC 8058 §3.1) records the opt-out for that address.
    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect(await session.repos.optOuts.optedOut([contactHash])).toEqual(new Set([contactHash]));
    // The address as the fan writes it in any case is the same contact.
    expect(hashContact(ADDRESS.toLowerCase())).toBe(contactHash);

    const sentBefore = session.stack.sandboxes.ses.counters.sent;
    const next = await session.run({ scheduledTime: NEXT_WINDOW });
    expect(next.status).toBe('SUCCEEDED');
    const nextSales = processedSales(next, US_EVENT);
    expect(nextSales.length).toBeGreaterThan(0);
    await session.settleDelivery();

    for (const sale of nextSales) {
      const optedOut = await session.repos.notifications.get(
        notificationKey(sale.saleId, 'fan-unsub', 'EMAIL'),
      );
      expect(optedOut).toMatchObject({ status: 'FAILED', failureReason: 'OPTED_OUT' });
      const stays = await session.repos.notifications.get(notificationKey(sale.saleId, 'fan-stays', 'EMAIL'));
      expect(stays?.status).not.toBe('FAILED');
    }
    expect(emailsTo(session, ADDRESS)).toHaveLength(1);
    expect(emailsTo(session, 'stays@example.org')).toHaveLength(1 + nextSales.length);
    expect(session.stack.sandboxes.ses.counters.sent - sentBefore).toBe(nextSales.length);
  }, 120_000);

  it('refuses a link whose signature was tampered with (403), recording nothing', async () => {
    const { session } = setup;
    const [email] = emailsTo(session, 'stays@example.org');
    const link = /^<([^>]+)>$/.exec(email?.headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
    const forged = link.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    const response = await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(response.status).toBe(403);
    const stays = hashContact('stays@example.org');
    expect(await session.repos.optOuts.optedOut([stays])).toEqual(new Set());
  });
});
