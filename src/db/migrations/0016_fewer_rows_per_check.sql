-- A monitor's last check (and what each region said) is read from its newest `checks` row (src/db/last-check.ts), so a check
-- that changes nothing the monitor shows writes no monitor row (docs/adr/0018-rows-per-check.md).
-- The change feed's trigger names those columns: it is dropped, and made again without them (the
-- feed sees new checks by their id, src/monitors/changes.ts).
DROP TRIGGER `monitors_change_on_update`;--> statement-breakpoint
ALTER TABLE `monitors` DROP COLUMN `last_checked_at`;--> statement-breakpoint
ALTER TABLE `monitors` DROP COLUMN `last_status_code`;--> statement-breakpoint
ALTER TABLE `monitors` DROP COLUMN `last_response_time_ms`;--> statement-breakpoint
ALTER TABLE `monitors` DROP COLUMN `last_reason`;--> statement-breakpoint
ALTER TABLE `monitors` DROP COLUMN `last_regions`;--> statement-breakpoint
CREATE TRIGGER `monitors_change_on_update` AFTER UPDATE ON `monitors`
WHEN OLD.`name` IS NOT NEW.`name`
  OR OLD.`url` IS NOT NEW.`url`
  OR OLD.`method` IS NOT NEW.`method`
  OR OLD.`interval_seconds` IS NOT NEW.`interval_seconds`
  OR OLD.`timeout_ms` IS NOT NEW.`timeout_ms`
  OR OLD.`expected_status_codes` IS NOT NEW.`expected_status_codes`
  OR OLD.`keyword` IS NOT NEW.`keyword`
  OR OLD.`paused` IS NOT NEW.`paused`
  OR OLD.`status` IS NOT NEW.`status`
  OR OLD.`status_since` IS NOT NEW.`status_since`
  OR OLD.`cert_expires_at` IS NOT NEW.`cert_expires_at`
  OR OLD.`alert_contact_ids` IS NOT NEW.`alert_contact_ids`
  OR OLD.`kind` IS NOT NEW.`kind`
  OR OLD.`request_headers` IS NOT NEW.`request_headers`
  OR OLD.`request_body` IS NOT NEW.`request_body`
  OR OLD.`auth_type` IS NOT NEW.`auth_type`
  OR OLD.`keyword_mode` IS NOT NEW.`keyword_mode`
  OR OLD.`keyword_case_sensitive` IS NOT NEW.`keyword_case_sensitive`
  OR OLD.`degraded_above_ms` IS NOT NEW.`degraded_above_ms`
  OR OLD.`tags` IS NOT NEW.`tags`
  OR OLD.`grace_seconds` IS NOT NEW.`grace_seconds`
  OR OLD.`last_ping_at` IS NOT NEW.`last_ping_at`
BEGIN
  UPDATE `accounts` SET `monitor_seq` = `monitor_seq` + 1 WHERE `id` = NEW.`account_id`;
  UPDATE `monitors` SET `change_seq` = (SELECT `monitor_seq` FROM `accounts` WHERE `id` = NEW.`account_id`) WHERE `id` = NEW.`id`;
END;
