CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`created_at` text DEFAULT CURRENT_TIMESTAMP NOT NULL,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `decodings` (
	`release` integer NOT NULL,
	`sae` text NOT NULL,
	`idx` integer NOT NULL,
	`direction` text NOT NULL,
	`top` text NOT NULL,
	`bottom` text NOT NULL,
	PRIMARY KEY(`release`, `sae`, `idx`, `direction`)
);
--> statement-breakpoint
CREATE TABLE `example_refs` (
	`release` integer NOT NULL,
	`sae` text NOT NULL,
	`idx` integer NOT NULL,
	`blob_key` text NOT NULL,
	`offset` integer NOT NULL,
	`length` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`release`, `sae`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `explanations` (
	`release` integer NOT NULL,
	`id` integer NOT NULL,
	`sae` text NOT NULL,
	`idx` integer NOT NULL,
	`text` text NOT NULL,
	`explainer` text NOT NULL,
	`method` text NOT NULL,
	`prompt_version` text,
	PRIMARY KEY(`release`, `id`)
);
--> statement-breakpoint
CREATE INDEX `explanations_latent` ON `explanations` (`release`,`sae`,`idx`);--> statement-breakpoint
CREATE TABLE `latents` (
	`release` integer NOT NULL,
	`sae` text NOT NULL,
	`idx` integer NOT NULL,
	`density` real,
	`max_activation` real,
	`mean_activation` real,
	`n_activations` integer,
	PRIMARY KEY(`release`, `sae`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `matches` (
	`release` integer NOT NULL,
	`sae_a` text NOT NULL,
	`idx_a` integer NOT NULL,
	`sae_b` text NOT NULL,
	`method` text NOT NULL,
	`rank` integer NOT NULL,
	`idx_b` integer NOT NULL,
	`score` real NOT NULL,
	PRIMARY KEY(`release`, `sae_a`, `idx_a`, `sae_b`, `method`, `rank`)
);
--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text,
	`architecture` text,
	`n_layers` integer,
	`d_model` integer,
	`d_mlp` integer,
	`vocab_size` integer,
	`active_release` integer,
	`updated_at` text DEFAULT CURRENT_TIMESTAMP NOT NULL
);
--> statement-breakpoint
CREATE TABLE `release_files` (
	`release` integer NOT NULL,
	`file` text NOT NULL,
	`parts_done` integer DEFAULT 0 NOT NULL,
	`rows_done` integer DEFAULT 0 NOT NULL,
	`complete` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`release`, `file`)
);
--> statement-breakpoint
CREATE TABLE `releases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` text NOT NULL,
	`bundle_id` text NOT NULL,
	`manifest_sha256` text NOT NULL,
	`manifest` text NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`created_at` text DEFAULT CURRENT_TIMESTAMP NOT NULL,
	`activated_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_manifest` ON `releases` (`model_id`,`manifest_sha256`);--> statement-breakpoint
CREATE TABLE `sae_pairs` (
	`release` integer NOT NULL,
	`sae_a` text NOT NULL,
	`sae_b` text NOT NULL,
	`method` text NOT NULL,
	`n_a` integer NOT NULL,
	`n_b` integer NOT NULL,
	`threshold` real NOT NULL,
	`matched_fraction` real NOT NULL,
	`mean_matched_score` real NOT NULL,
	`median_matched_score` real NOT NULL,
	`histogram` text NOT NULL,
	PRIMARY KEY(`release`, `sae_a`, `sae_b`, `method`)
);
--> statement-breakpoint
CREATE TABLE `saes` (
	`release` integer NOT NULL,
	`id` text NOT NULL,
	`model_id` text NOT NULL,
	`hookpoint` text NOT NULL,
	`layer` integer NOT NULL,
	`site` text NOT NULL,
	`kind` text NOT NULL,
	`architecture` text NOT NULL,
	`width` integer NOT NULL,
	`k` integer,
	`d_in` integer,
	`stats` text NOT NULL,
	PRIMARY KEY(`release`, `id`)
);
--> statement-breakpoint
CREATE INDEX `saes_layer` ON `saes` (`release`,`layer`);--> statement-breakpoint
CREATE TABLE `scores` (
	`release` integer NOT NULL,
	`explanation` integer NOT NULL,
	`scorer` text NOT NULL,
	`value` real NOT NULL,
	`n` integer NOT NULL,
	`details` text,
	PRIMARY KEY(`release`, `explanation`, `scorer`)
);
--> statement-breakpoint
CREATE TABLE `token_index` (
	`release` integer NOT NULL,
	`token_id` integer NOT NULL,
	`direction` text NOT NULL,
	`entries` text NOT NULL,
	PRIMARY KEY(`release`, `token_id`, `direction`)
);
--> statement-breakpoint
CREATE TABLE `vocab` (
	`release` integer NOT NULL,
	`token_id` integer NOT NULL,
	`token` text NOT NULL,
	PRIMARY KEY(`release`, `token_id`)
);
--> statement-breakpoint
CREATE INDEX `vocab_token` ON `vocab` (`release`,`token`);