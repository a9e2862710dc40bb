/** Per-location request budgets: what paces every request sent to Data Fusion. */
package dev.fusioncancel.budget;
