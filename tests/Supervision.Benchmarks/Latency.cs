namespace Supervision.Benchmarks;

/// <summary>Figures over latencies sorted in ascending order, and whether a goal is met.</summary>
internal static class Latency
{
    public static double Median(double[] sorted) => (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;

    public static double P95(double[] sorted) => sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];

    public static string Verdict(double p95, double goal) => p95 <= goal ? "met" : "NOT met";
}
