package com.soportemax.knowledge.internal;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

interface Articles extends JpaRepository<Article, UUID> {

    Optional<Article> findByExternalId(String externalId);

    List<Article> findByExternalIdIn(Collection<String> externalIds);
}
