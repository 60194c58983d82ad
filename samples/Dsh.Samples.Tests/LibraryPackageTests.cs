using System.IO.Compression;
using System.Text.RegularExpressions;
using Dsh.Samples.Tests.Support;

namespace Dsh.Samples.Tests;

/// <summary>The packed <c>Dsh</c> library carries the WordNet table it computes class vectors from, and WordNet's licence.</summary>
public class LibraryPackageTests
{
    [Fact]
    public void DshPackage_CarriesTheWordNetTableAndItsNotice()
    {
        string feed = Path.GetFullPath(Path.Combine(SampleBuild.SamplesRoot, "..", "artifacts", "packages"));
        string? package = Directory.Exists(feed)
            ? Directory.EnumerateFiles(feed, "Dsh.*.nupkg").FirstOrDefault(path => Regex.IsMatch(Path.GetFileName(path), @"^Dsh\.[0-9][^/]*\.nupkg$"))
            : null;
        Assert.True(package != null, $"no Dsh package in {feed}: run .ci/run (it packs the libraries first)");
        using ZipArchive zip = ZipFile.OpenRead(package!);
        ZipArchiveEntry notice = zip.GetEntry("THIRD-PARTY-NOTICES.md") ?? throw new Xunit.Sdk.XunitException("THIRD-PARTY-NOTICES.md is not in the package");
        using (var reader = new StreamReader(notice.Open()))
        {
            Assert.Contains("WordNet 3.0 Copyright 2006 by Princeton University", reader.ReadToEnd(), StringComparison.Ordinal);
        }
        ZipArchiveEntry dll = zip.Entries.First(e => e.FullName.StartsWith("lib/", StringComparison.Ordinal) && e.Name == "Dsh.dll");
        using var copy = new MemoryStream();
        using (Stream s = dll.Open())
        {
            s.CopyTo(copy);
        }
        // The embedded resource's name is stored in the assembly's manifest as plain text.
        Assert.Contains("Dsh.Semantics.wordnet-3.0-nouns.txt.gz", System.Text.Encoding.UTF8.GetString(copy.ToArray()), StringComparison.Ordinal);
        Assert.True(dll.Length > 2_000_000, $"Dsh.dll is {dll.Length} bytes: the 2.4 MB WordNet table is not embedded");
    }
}
