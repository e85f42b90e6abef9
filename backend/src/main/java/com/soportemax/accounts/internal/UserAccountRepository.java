package com.soportemax.accounts.internal;

import com.soportemax.accounts.StaffRole;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

interface UserAccountRepository extends JpaRepository<UserAccount, UUID> {

    @Query("select u from UserAccount u where lower(u.email) = lower(?1)")
    Optional<UserAccount> findByEmail(String email);

    boolean existsByRole(StaffRole role);

    List<UserAccount> findAllByOrderByCreatedAtAsc();
}
