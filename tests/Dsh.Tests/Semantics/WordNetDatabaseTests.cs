using Dsh.Semantics;
using Dsh.Tests.Support;
using static Dsh.Tests.Semantics.VectorFiles;

namespace Dsh.Tests.Semantics;

/// <summary>
/// The embedding on the installed WordNet 3.0 database (Debian's wordnet-base; CI installs it). These tests and the
/// WNSEARCHDIR test share a collection so that the environment variable never changes under the others.
/// </summary>
[Collection(WordNetEnvironment.Name)]
public class WordNetDatabaseTests
{
    private static readonly string[] Pacs = ["dog", "elephant", "giraffe", "guitar", "horse", "house", "person"];

    private static void RequireDatabase() =>
        Assert.True(File.Exists("/usr/share/wordnet/data.noun"),
            "WordNet 3.0 is not installed: `apt-get install wordnet-base` (the CI script installs it).");

    [Fact]
    public void PacsCategories_AreAllCovered_AndDogIsCloserToHorseThanToGuitar()
    {
        var e = ClassEmbeddings.FromWordNet(Pacs);
        Assert.Equal("wordnet", e.Source);
        Assert.Empty(e.UncoveredCategories);
        Assert.Empty(e.MissingWords);
        double Cos(string a, string b) => Cosine(e.Vector(Array.IndexOf(Pacs, a)), e.Vector(Array.IndexOf(Pacs, b)));
        Assert.True(Cos("dog", "horse") > Cos("dog", "guitar"));
        Assert.True(Cos("elephant", "giraffe") > Cos("elephant", "house"));
        Assert.True(Cos("guitar", "house") > Cos("guitar", "horse"));
        Assert.True(Cos("person", "dog") > Cos("person", "guitar"));
        foreach (string a in Pacs)
        {
            Assert.Equal(1, Norm(e.Vector(Array.IndexOf(Pacs, a))), 6);
            foreach (string b in Pacs.Where(b => b != a))
            {
                Assert.True(Cos(a, b) < 0.95, $"{a} and {b} are nearly identical");
            }
        }
    }

    [Fact]
    public void MultiWordAndOddNames_AreCovered()
    {
        string[] names = ["aircraft carrier", "teddy-bear", "The Eiffel Tower", "T-shirt", "hot-air balloon", "wine bottle", "mice"];
        var e = ClassEmbeddings.FromWordNet(names);
        Assert.Empty(e.UncoveredCategories);
        Assert.Empty(e.MissingWords);
    }

    [Fact]
    public void UnknownWords_AreReported()
    {
        var e = ClassEmbeddings.FromWordNet(["dog", "qwertyuiop"]);
        Assert.Equal(new[] { "qwertyuiop" }, e.UncoveredCategories);
        Assert.Equal(new[] { "qwertyuiop" }, e.MissingWords);
    }

    [Fact]
    public void WnSearchDir_DoesNotChangeTheBuiltInVectors_AndADirectoryIsReadWhenNamed()
    {
        using var dir = new TempFolder();
        string db = WordNetFixture.Standard().Write(dir.File("dict"));
        string? before = Environment.GetEnvironmentVariable("WNSEARCHDIR");
        try
        {
            Environment.SetEnvironmentVariable("WNSEARCHDIR", db);
            Assert.Equal("wordnet", ClassEmbeddings.FromWordNet(["dog"]).Source);
            Assert.Equal("wordnet", ClassEmbeddings.Resolve(["dog"], "wordnet").Source);
            Assert.Equal("wordnet:" + Path.GetFullPath(db), ClassEmbeddings.Resolve(["dog"], "wordnet:" + db).Source);
        }
        finally
        {
            Environment.SetEnvironmentVariable("WNSEARCHDIR", before);
        }
    }

    [Fact]
    public void BuiltInTable_GivesTheInstalledDatabasesVectors_ForPacsCifarAndQuickDrawNames()
    {
        RequireDatabase();
        string[] names = [.. Pacs, "airplane", "automobile", "bird", "cat", "deer", "frog", "ship", "truck", "car", "cruise ship",
            "aircraft carrier", "teddy-bear", "The Eiffel Tower", "T-shirt", "hot air balloon", "wine bottle", "mice", "saw", "qwertyuiop"];
        var builtIn = ClassEmbeddings.FromWordNet(names);
        var installed = ClassEmbeddings.FromWordNet(names, "/usr/share/wordnet");
        Assert.Equal(installed.Dimension, builtIn.Dimension);
        Assert.Equal(installed.MissingWords, builtIn.MissingWords);
        Assert.Equal(installed.UncoveredCategories, builtIn.UncoveredCategories);
        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(installed.Vector(i), builtIn.Vector(i));
        }
    }

    [Fact]
    public void BuiltInTable_IsWhatTheGeneratorWritesFromTheInstalledDatabase()
    {
        RequireDatabase();
        using var database = WordNetDatabase.Open("/usr/share/wordnet");
        var written = new StringWriter();
        WordNetTable.Write(database, written);
        using Stream resource = typeof(WordNetTable).Assembly.GetManifestResourceStream(WordNetTable.ResourceName)!;
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(resource, System.IO.Compression.CompressionMode.Decompress));
        Assert.True(written.ToString() == reader.ReadToEnd(),
            "The shipped WordNet table differs from the installed database's: regenerate it with `Dsh.Quality wordnet-table` (docs/semantics.md).");
    }
}

/// <summary>Serialises the tests that read or change WNSEARCHDIR.</summary>
[CollectionDefinition(Name)]
public class WordNetEnvironment
{
    public const string Name = "WordNet environment";
}
