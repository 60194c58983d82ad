using System.Text.RegularExpressions;
using Dsh.Tests.Support;

namespace Dsh.Tests.Docs;

/// <summary>
/// The user documentation (README, changelog, contributing and security notes, docs/, package READMEs and notices,
/// sample READMEs) holds no notes about how the work was done: no issue numbers (bare "#7" included, not "#anchor"
/// or "C#"), no quotes from an issue, no remarks on how loaded the machine was or what a package source lacked, no
/// "what we found" or "in our runs". And every relative link points at a file that exists.
/// </summary>
public sealed partial class DocsHygieneTests
{
    public static TheoryData<string> Documents()
    {
        string root = RepoPaths.Root;
        var files = new[] { "README.md", "CHANGELOG.md", "CONTRIBUTING.md", "SECURITY.md" }.Select(f => Path.Combine(root, f))
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.GetDirectories(Path.Combine(root, "src")).SelectMany(d => Directory.GetFiles(d, "*.md")))
            .Concat(Directory.GetFiles(Path.Combine(root, "samples"), "*.md", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)));
        var data = new TheoryData<string>();
        foreach (string file in files.Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Has_no_notes_about_how_the_work_was_done(string document)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, document));
        var found = lines.Select((line, i) => (Line: i + 1, Match: WorkNote().Match(line)))
            .Where(m => m.Match.Success).Select(m => $"{document}:{m.Line}: \"{m.Match.Value}\"").ToList();
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Relative_links_point_at_files_that_exist(string document)
    {
        string path = Path.Combine(RepoPaths.Root, document);
        string folder = Path.GetDirectoryName(path)!;
        var broken = new List<string>();
        foreach (Match m in Link().Matches(File.ReadAllText(path)))
        {
            string target = m.Groups[1].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            if (!File.Exists(Path.Combine(folder, target)) && !Directory.Exists(Path.Combine(folder, target)))
            {
                broken.Add(m.Value);
            }
        }
        Assert.True(broken.Count == 0, $"{document}: " + string.Join(", ", broken));
    }

    [Fact]
    public void The_patterns_catch_what_they_are_for()
    {
        Assert.Matches(WorkNote(), "as issue #7 asks");
        Assert.Matches(WorkNote(), "see #16 §2");
        Assert.Matches(WorkNote(), "measured with load average 20");
        Assert.Matches(WorkNote(), "the machine was shared with four other builds");
        Assert.Matches(WorkNote(), "the package feed does not serve 1.2");
        Assert.Matches(WorkNote(), "the issue's 0.25 ms floor");
        Assert.Matches(WorkNote(), "The issue quotes 4.56 ms a query");
        Assert.Matches(WorkNote(), "as asked in #7");
        Assert.Matches(WorkNote(), "(#12) is done");
        Assert.Matches(WorkNote(), "what one core of this VM draws");
        Assert.Matches(WorkNote(), "Because the machine was not idle");
        Assert.Matches(WorkNote(), "Nothing else ran at the time.");
        Assert.Matches(WorkNote(), "one thread of a shared 2-core machine");
        Assert.Matches(WorkNote(), "we measured 5.8 ms in our runs");
        Assert.Matches(WorkNote(), "## What we found");
        Assert.DoesNotMatch(WorkNote(), "Issues and pull requests are welcome.");
        Assert.DoesNotMatch(WorkNote(), "the local feed `artifacts/packages`");
        Assert.DoesNotMatch(WorkNote(), "[the demo](#1-run-the-demo) and [limits](#limits-and-security)");
        Assert.DoesNotMatch(WorkNote(), "[the demo](getting-started.md#1-run-the-demo)");
        Assert.DoesNotMatch(WorkNote(), "C# 12, C#12 and F#; a no-break space is &#160;");
        Assert.DoesNotMatch(WorkNote(), "an idle shard is never collected; the page is shared by every request");
    }

    [GeneratedRegex(@"\bissues?\s*#?\d+|#\d+\s*§|(?<![\w&#/])#\d+(?![\w-])|\bthe issue(?:'|’)s\b|\bthe issue quotes\b|\bload average\b|\bshared with (other|two|three|four|five)\b|\bother (builds|trainings)\b|\bnoisy host\b|\b(package )?feed (does not|doesn't|did not|lacks|lacked) serve|\bfeed lacks\b|\bsubagents?\b|\bhelper sessions?\b|\bthis session\b|\bthis VM\b|\bnot idle\b|\bnothing else ran\b|\bshared 2-core machine\b|\bour runs\b|\bwhat we found\b|\bcode as merged\b", RegexOptions.IgnoreCase)]
    private static partial Regex WorkNote();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
