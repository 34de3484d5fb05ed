DROP INDEX `alert_events_incident_type_idx`;--> statement-breakpoint
ALTER TABLE `alert_events` ADD `seq` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `alert_events_incident_type_idx` ON `alert_events` (`incident_id`,`type`,`seq`) WHERE "alert_events"."incident_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `monitors` ADD `alert_after_seconds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `monitors` ADD `remind_every_seconds` integer;;--> statement-breakpoint
-- The alert timing shows on the monitor's screens: a change to it moves the change feed (migrations 0012, 0016).
DROP TRIGGER `monitors_change_on_update`;--> statement-breakpoint
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
  OR OLD.`alert_after_seconds` IS NOT NEW.`alert_after_seconds`
  OR OLD.`remind_every_seconds` IS NOT NEW.`remind_every_seconds`
BEGIN
  UPDATE `accounts` SET `monitor_seq` = `monitor_seq` + 1 WHERE `id` = NEW.`account_id`;
  UPDATE `monitors` SET `change_seq` = (SELECT `monitor_seq` FROM `accounts` WHERE `id` = NEW.`account_id`) WHERE `id` = NEW.`id`;
END;
