import pytest

from core.registry import RegistryError, is_private_host, load_registry

HEADER = "id,name,level,parent,province,url,email\n"


def write(tmp_path, text, name="registry.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_csv(tmp_path):
    path = write(tmp_path, HEADER + "stp,Sở Tư pháp,department,,Mẫu Sơn,https://stp.mauson.gov.vn/,a@b.vn\n")
    [agency] = load_registry(path)
    assert agency.id == "stp" and agency.line == 2 and agency.section_url == ""


def test_valid_yaml_with_section_override(tmp_path):
    path = write(tmp_path, """
agencies:
  - {id: stp, name: Sở Tư pháp, level: department, parent: "", province: Mẫu Sơn,
     url: "https://stp.mauson.gov.vn/", email: "", section_url: "https://stp.mauson.gov.vn/tctt"}
""", "registry.yaml")
    [agency] = load_registry(path)
    assert agency.section_url.endswith("/tctt") and agency.line == 3


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("stp,Sở,department,,X,https://a.gov.vn/,\nstp,Sở 2,department,,X,https://b.gov.vn/,\n", 3, "duplicate id"),
        ("stp,Sở,department,,X,ftp://a.gov.vn/,\n", 2, "http(s) URL"),
        ("stp,Sở,district,,X,https://a.gov.vn/,\n", 2, "invalid level"),
        ("stp,Sở,department,,X,https://a.gov.vn/,not-an-email\n", 2, "invalid email"),
        ("stp,,department,,X,https://a.gov.vn/,\n", 2, "name is empty"),
        ("stp,Sở,department,,X,http://169.254.169.254/,\n", 2, "private or loopback"),
    ],
)
def test_bad_rows_are_refused_with_line(tmp_path, body, line, needle):
    path = write(tmp_path, HEADER + body)
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert any(p.startswith(f"{path}:{line}:") and needle in p for p in caught.value.problems), caught.value.problems


def test_missing_column_is_refused(tmp_path):
    path = write(tmp_path, "id,name,level,parent,province,url\nstp,Sở,department,,X,https://a.gov.vn/\n")
    with pytest.raises(RegistryError, match="missing column.*email"):
        load_registry(path)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    path = write(tmp_path, HEADER + "a,A,department,,X,ftp://a/,\nb,B,bogus,,X,https://b.gov.vn/,\n")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert len(caught.value.problems) == 2


def test_private_allowed_on_request(tmp_path):
    path = write(tmp_path, HEADER + "a,A,department,,X,http://127.0.0.5:8080/,\n")
    assert load_registry(path, allow_private=True)[0].url == "http://127.0.0.5:8080/"


def test_missing_file(tmp_path):
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "nope.csv")


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "localhost", "::1", "0.0.0.0"])
def test_private_hosts(host):
    assert is_private_host(host)


@pytest.mark.parametrize("host", ["sotuphap.hanoi.gov.vn", "8.8.8.8", "2001:4860::8888"])
def test_public_hosts(host):
    assert not is_private_host(host)
