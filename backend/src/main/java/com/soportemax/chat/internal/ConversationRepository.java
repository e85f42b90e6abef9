package com.soportemax.chat.internal;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Optional;
import java.util.UUID;

interface ConversationRepository extends JpaRepository<Conversation, UUID> {

    Optional<Conversation> findByTokenHash(String tokenHash);
}
