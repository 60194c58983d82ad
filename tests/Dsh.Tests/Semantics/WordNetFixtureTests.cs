using Dsh.Semantics;
using Dsh.Tests.Support;
using static Dsh.Tests.Semantics.VectorFiles;

namespace Dsh.Tests.Semantics;

/// <summary>The WordNet reader and embedding on a hand-written database in the real file format.</summary>
public class WordNetFixtureTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly WordNetFixture _fixture = WordNetFixture.Standard();
    private readonly string _db;

    public WordNetFixtureTests() => _db = _fixture.Write(_dir.File("dict"));

    public void Dispose() => _dir.Dispose();

    private ClassEmbedding Build(params string[] categories) => ClassEmbeddings.FromWordNet(categories, _db);

    [Fact]
    public void DogIsCloserToHorseThanToGuitar()
    {
        var e = Build("dog", "horse", "guitar");
        Assert.Empty(e.UncoveredCategories);
        Assert.Empty(e.MissingWords);
        Assert.True(Cosine(e.Vector(0), e.Vector(1)) > Cosine(e.Vector(0), e.Vector(2)) + 0.2);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(1, Norm(e.Vector(i)), 6));
    }

    [Fact]
    public void Dimension_IsTheUnionOfAllHypernymPaths()
    {
        // dog: dog, canine, domestic_animal, placental, mammal, animal, organism, living_thing, whole, object,
        // physical_entity, entity (12); horse adds horse, equine; guitar adds guitar, musical_instrument, instrument, artifact.
        var e = Build("dog", "horse", "guitar");
        Assert.Equal(12 + 2 + 4, e.Dimension);
        Assert.Equal(12, e.Vector(0).Count(x => x > 0));
    }

    [Fact]
    public void Weights_AreDepthPlusOne_ByTheShortestPathToTheRoot()
    {
        // Columns are the union's synsets in offset order; entity (depth 0) and physical_entity (depth 1).
        var e = Build("entity", "physical entity");
        Assert.Equal(2, e.Dimension);
        Assert.Equal(new float[] { 1, 0 }, e.Vector(0));
        Assert.Equal(1 / Math.Sqrt(5), e.Vector(1)[0], 6);
        Assert.Equal(2 / Math.Sqrt(5), e.Vector(1)[1], 6);

        // entity 0 … animal 6, domestic_animal 7, mammal 7, placental 8, canine 9, and dog: two paths, via canine
        // (10) and via domestic_animal (8), so depth 8. Weights = depth + 1, relative to entity's weight 1.
        float[] v = Build("dog").Vector(0);
        float entity = v.Min();
        double[] weights = v.Select(x => Math.Round(x / entity, 4)).Order().ToArray();
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 9, 10 }, weights);
    }

    [Fact]
    public void FirstSense_IsTheMostFrequent()
    {
        // "dog" has a second sense (frump, a person): the first, the animal, is used.
        var e = Build("dog", "person", "horse");
        Assert.True(Cosine(e.Vector(0), e.Vector(2)) > Cosine(e.Vector(0), e.Vector(1)));
    }

    [Fact]
    public void TheFirstPhysicalObjectSense_BeatsAMoreFrequentAbstractOne()
    {
        // "saw" is first a saying (an abstraction), then a tool: the tool is what gets drawn.
        var e = Build("saw", "guitar", "dog");
        Assert.True(Cosine(e.Vector(0), e.Vector(1)) > Cosine(e.Vector(0), e.Vector(2)));
        // A lemma with no physical-object sense keeps its first sense: it shares only "entity" with guitar.
        var abstractOnly = Build("saying", "guitar");
        Assert.Empty(abstractOnly.UncoveredCategories);
        Assert.Equal(1 / Math.Sqrt(14 * 204), Cosine(abstractOnly.Vector(0), abstractOnly.Vector(1)), 6);
    }

    [Fact]
    public void MultiWordNames_UseTheirLemma_ThenTheHeadWord()
    {
        var e = Build("Teddy Bear", "polar-bear", "bear", "The Eiffel Tower", "tower", "T-shirt", "guitar");
        Assert.Empty(e.UncoveredCategories);
        // teddy_bear is its own lemma (an artifact), not the animal "bear".
        Assert.True(Cosine(e.Vector(0), e.Vector(6)) > Cosine(e.Vector(0), e.Vector(2)));
        // polar_bear is not in the fixture: the head word "bear" stands in, and the lemma is reported.
        Assert.Equal(e.Vector(2), e.Vector(1));
        Assert.Equal(new[] { "polar_bear" }, e.MissingWords);
        // The Eiffel Tower reaches "tower" through an instance hypernym ("@i").
        Assert.True(Cosine(e.Vector(3), e.Vector(4)) > 0.5);
    }

    [Fact]
    public void Plurals_AreReducedToTheirBaseForm()
    {
        var e = Build("horses", "mice", "horse", "mouse");
        Assert.Empty(e.UncoveredCategories);
        Assert.Equal(e.Vector(2), e.Vector(0));
        Assert.Equal(e.Vector(3), e.Vector(1));
    }

    [Fact]
    public void UnknownCategories_AreUncoveredZeroVectors_AndReported()
    {
        var e = Build("dog", "unicorn", "flying saucer");
        Assert.Equal(new[] { "unicorn", "flying saucer" }, e.UncoveredCategories);
        Assert.Equal(new[] { "unicorn", "flying_saucer" }, e.MissingWords);
        Assert.All(e.Vector(1), x => Assert.Equal(0, x));
        var f = e.WithOneHotFallback();
        Assert.True(Cosine(f.Vector(1), f.Vector(2)) < 0.01);
    }

    [Fact]
    public void NothingCovered_GivesOneZeroDimension()
    {
        var e = Build("unicorn");
        Assert.Equal(1, e.Dimension);
        Assert.Equal(new float[] { 0 }, e.Vector(0));
    }

    [Fact]
    public void Source_NamesTheDatabaseDirectory() =>
        Assert.Equal("wordnet:" + Path.GetFullPath(_db), Build("dog").Source);

    [Fact]
    public void MissingDirectory_SaysHowToInstall()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ClassEmbeddings.FromWordNet(["dog"], _dir.File("nowhere")));
        Assert.Contains("apt-get install wordnet-base", e.Message);
    }

    [Fact]
    public void MissingDataFile_SaysHowToInstall()
    {
        File.Delete(Path.Combine(_db, "data.noun"));
        var e = Assert.Throws<FileNotFoundException>(() => Build("dog"));
        Assert.Contains("apt-get install wordnet-base", e.Message);
        Assert.EndsWith("data.noun", e.FileName);
    }

    [Fact]
    public void IndexPointingBetweenRecords_IsInvalidData()
    {
        string index = Path.Combine(_db, "index.noun");
        long dog = _fixture.Offsets["dog"];
        File.WriteAllText(index, File.ReadAllText(index).Replace(dog.ToString("D8"), (dog + 3).ToString("D8")));
        var e = Assert.Throws<InvalidDataException>(() => Build("dog"));
        Assert.Contains("data.noun", e.Message);
        Assert.Contains((dog + 3).ToString(), e.Message);
    }

    [Fact]
    public void MalformedIndexLine_IsInvalidDataWithItsLine()
    {
        string index = Path.Combine(_db, "index.noun");
        var lines = File.ReadAllLines(index);
        int at = Array.FindIndex(lines, l => l.StartsWith("guitar ", StringComparison.Ordinal));
        lines[at] = "guitar n 1 2 @ ~ 1";
        File.WriteAllLines(index, lines);
        var e = Assert.Throws<InvalidDataException>(() => Build("guitar"));
        Assert.Contains($"line {at + 1}", e.Message);
    }

    [Fact]
    public void HypernymCycle_IsInvalidData()
    {
        var f = new WordNetFixture();
        f.Add("a", ["a"], ["b"]);
        f.Add("b", ["b"], ["a"]);
        string db = f.Write(_dir.File("cycle"));
        Assert.Throws<InvalidDataException>(() => ClassEmbeddings.FromWordNet(["a"], db));
    }

    [Fact]
    public void BadCategoryLists_AreArgumentExceptions()
    {
        Assert.Throws<ArgumentException>(() => ClassEmbeddings.FromWordNet([], _db));
        Assert.Throws<ArgumentException>(() => ClassEmbeddings.FromWordNet(["dog", "dog"], _db));
    }

    [Fact]
    public void Resolve_PicksTheSourceAndAlwaysFallsBack()
    {
        var wordnet = ClassEmbeddings.Resolve(["dog", "unicorn"], "wordnet:" + _db);
        Assert.Equal("wordnet:" + Path.GetFullPath(_db) + "+one-hot", wordnet.Source);
        Assert.Equal(1, Norm(wordnet.Vector(1)), 6);
        Assert.Equal("one-hot", ClassEmbeddings.Resolve(["dog", "unicorn"]).Source);
        Assert.Equal("one-hot", ClassEmbeddings.Resolve(["dog"], "one-hot").Source);
        string glove = WriteGloVe(_dir.File("g.txt"), E("dog", 1, 0));
        var file = ClassEmbeddings.Resolve(["dog", "cat"], glove);
        Assert.StartsWith("glove:", file.Source);
        Assert.EndsWith("+one-hot", file.Source);
        Assert.Equal(new[] { "cat" }, file.UncoveredCategories);
    }
}
