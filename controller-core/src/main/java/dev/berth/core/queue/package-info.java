/**
 * The work queue (one key, one worker; duplicate adds collapse; priority lanes; delayed adds) and
 * the rate limiters that space out a key's retries.
 */
package dev.berth.core.queue;
