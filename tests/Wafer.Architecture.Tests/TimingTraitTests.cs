namespace Wafer.Architecture.Tests;

/// <summary>Tests whose bounds are wall time say so, so CI can run them apart from the rest (scripts/test.sh).</summary>
public sealed class TimingTraitTests
{
    [Fact]
    public void TestsReadingAStopwatch_CarryTheTimingTrait()
    {
        var missing = TimingTraits.Untraited(Path.Combine(Checkout.Root, "tests"));

        Assert.True(missing.Count == 0,
            $"these tests read a Stopwatch; give them (or their class) [Trait(\"{TimingTraits.Name}\", \"{TimingTraits.Value}\")]:{Environment.NewLine}"
            + string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void Untraited_FindsAStopwatchTestWithoutTheTrait_AndNotOneWithIt()
    {
        var folder = Directory.CreateTempSubdirectory("wafer-timing-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "Samples.cs"), """
                public sealed class Plain
                {
                    [Fact]
                    public void Measures() { var clock = System.Diagnostics.Stopwatch.StartNew(); Assert.True(clock.Elapsed.TotalSeconds < 5); }

                    [Fact]
                    [Trait("Timing", "Sensitive")]
                    public void MeasuresTraited() { var clock = Stopwatch.StartNew(); }

                    [Fact]
                    [Trait("Category", "Fleet")]
                    public void MeasuresOtherTrait() { var clock = Stopwatch.StartNew(); }

                    [Fact]
                    public void DoesNotMeasure() { Assert.True(true); }

                    private static void Helper() { var clock = Stopwatch.StartNew(); }
                }

                [Trait("Timing", "Sensitive")]
                public sealed class Traited
                {
                    [Theory]
                    public void Measures(int n) { var clock = Stopwatch.StartNew(); }
                }
                """);

            Assert.Equal(["Samples.cs: Plain.Measures", "Samples.cs: Plain.MeasuresOtherTrait"], TimingTraits.Untraited(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
