/**
 * The nginx route registrar: a whole configuration rendered, checked and swapped in, and nginx
 * supervised.
 */
package dev.berth.reconcilers.route.nginx;
