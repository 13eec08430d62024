/** Boot stages on a cluster: the ordered stages of controller-core over BerthServices. */
package dev.berth.kubernetes.stage;
