/** Staff accounts (administrators and support agents) and who may do what. */
@org.springframework.modulith.ApplicationModule(displayName = "Accounts")
package com.soportemax.accounts;
