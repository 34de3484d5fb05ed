ALTER TABLE `alert_contacts` ADD `created_by` text;--> statement-breakpoint
ALTER TABLE `monitors` ADD `ping_token_created_by` text;--> statement-breakpoint
ALTER TABLE `oauth_clients` ADD `created_by` text;--> statement-breakpoint
-- Rows made before this was kept get their maker from the audit log, where it was recorded.
UPDATE `oauth_clients` SET `created_by` = (SELECT `actor` FROM `audit_log` WHERE `action` = 'oauthClients.create' AND `entity_id` = `oauth_clients`.`id` AND `outcome` = 'ok' LIMIT 1);--> statement-breakpoint
UPDATE `alert_contacts` SET `created_by` = (SELECT `actor` FROM `audit_log` WHERE `action` = 'contacts.create' AND `entity_id` = `alert_contacts`.`id` AND `outcome` = 'ok' LIMIT 1) WHERE `is_owner` = 0;--> statement-breakpoint
UPDATE `monitors` SET `ping_token_created_by` = (SELECT `actor` FROM `audit_log` WHERE `action` IN ('monitors.create', 'monitors.rotatePingToken') AND `entity_id` = `monitors`.`id` AND `outcome` = 'ok' ORDER BY `at` DESC LIMIT 1) WHERE `ping_token_hash` IS NOT NULL;
