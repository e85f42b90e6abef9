/**
 * Transcript review for admins: search and filter conversations, read every message with the assistant's reasons,
 * label answers (with corrections) and approve or reject conversations for training.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Transcripts")
package com.soportemax.transcripts;
