/**
 * Every rule a declaration must keep, each violation named by its field path ({@code
 * components[0].update.deadline: must be ...}).
 */
package dev.berth.spec.validation;
