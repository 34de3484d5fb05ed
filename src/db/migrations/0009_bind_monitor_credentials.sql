-- Monitor credentials are now sealed bound to the monitor's id and its URL's origin. Values sealed
-- before cannot be re-sealed here (SQL has no key), so they are marked unbound: they keep working,
-- unbound, until new credentials are entered or the URL's origin changes (src/checker/kinds/credentials.ts).
UPDATE monitors SET auth_sealed = 'unbound:' || auth_sealed WHERE auth_sealed IS NOT NULL AND auth_sealed NOT LIKE 'unbound:%';
