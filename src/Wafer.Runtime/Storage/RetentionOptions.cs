using System.Globalization;

namespace Wafer.Runtime.Storage;

/// <summary>
/// How long the state database keeps call log lines, inferences and job records, by age and by count. A sweep in the
/// background deletes what is past either limit every <see cref="Interval"/>; a zero limit keeps everything.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>How often the sweep runs (the first a minute after start, or one interval if that is shorter).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Call log lines older than this are deleted; zero keeps them.</summary>
    public TimeSpan LogMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Only the newest this many call log lines are kept; zero keeps them all.</summary>
    public long LogMaxLines { get; set; } = 1_000_000;

    /// <summary>Inferences older than this are deleted; zero keeps them.</summary>
    public TimeSpan InferenceMaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Only the newest this many inferences are kept; zero keeps them all.</summary>
    public long InferenceMaxRecords { get; set; } = 100_000;

    /// <summary>Finished jobs that started longer ago than this are deleted; zero keeps them. Running jobs are kept.</summary>
    public TimeSpan JobMaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Only the newest this many finished jobs are kept; zero keeps them all.</summary>
    public long JobMaxRecords { get; set; } = 10_000;

    /// <summary>Problems with these settings, each naming the setting and its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval < TimeSpan.FromMilliseconds(100) || Interval > TimeSpan.FromDays(1))
        {
            errors.Add($"Retention:Interval (--retentionInterval) must be between 100ms and 1 day, got {Interval}");
        }

        Age(errors, LogMaxAge, "Retention:LogMaxAge (--logRetention)");
        Age(errors, InferenceMaxAge, "Retention:InferenceMaxAge (--inferenceRetention)");
        Age(errors, JobMaxAge, "Retention:JobMaxAge (--jobRetention)");
        Count(errors, LogMaxLines, "Retention:LogMaxLines (--logMaxLines)");
        Count(errors, InferenceMaxRecords, "Retention:InferenceMaxRecords (--inferenceMaxRecords)");
        Count(errors, JobMaxRecords, "Retention:JobMaxRecords (--jobMaxRecords)");
        return errors;
    }

    private static void Age(List<string> errors, TimeSpan age, string setting)
    {
        if (age < TimeSpan.Zero || age > TimeSpan.Zero && age < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{setting} must be 0 (keep everything) or at least 1s, got {age}");
        }
    }

    private static void Count(List<string> errors, long count, string setting)
    {
        if (count < 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be 0 (keep everything) or more, got {count}"));
        }
    }
}
