//! People: names from lists of first and last names, and email addresses made from them.

pub(super) const FIRST: &[&str] = &[
    "Ana",
    "Bram",
    "Chioma",
    "Daniel",
    "Elena",
    "Farid",
    "Grace",
    "Hiroshi",
    "Ingrid",
    "Jamal",
    "Kavya",
    "Liam",
    "Mei",
    "Nikolai",
    "Olivia",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sanjay",
    "Tamar",
    "Umar",
    "Valentina",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amara",
    "Benjamin",
    "Carmen",
    "Dmitri",
    "Emeka",
    "Fatima",
    "Gabriel",
    "Hana",
    "Isaac",
    "Julia",
    "Kenji",
    "Leila",
    "Mateo",
    "Nadia",
    "Oscar",
    "Priya",
    "Rafael",
    "Sofia",
    "Thomas",
    "Uma",
    "Victor",
    "Wanjiru",
    "Yara",
    "Zain",
    "Aisha",
    "Bjorn",
    "Camille",
    "Diego",
    "Esther",
    "Finn",
    "Giulia",
    "Hugo",
    "Imani",
    "Jonas",
    "Kwame",
    "Lucia",
    "Marcus",
    "Noor",
    "Paula",
    "Ravi",
    "Sara",
    "Tariq",
    "Ines",
    "Jack",
    "Mia",
    "Noah",
    "Emma",
    "Lucas",
    "Chloe",
    "Arjun",
    "Sven",
    "Ayesha",
    "Tomasz",
    "Eva",
    "Mary Kate",
    "Jean-Luc",
    "Anne-Marie",
    "Kofi",
    "Lars",
    "Min-jun",
    "Siobhan",
    "Rhys",
    "Astrid",
    "Mohammed",
];

pub(super) const LAST: &[&str] = &[
    "Lopez",
    "de Vries",
    "Okafor",
    "Smith",
    "Nguyen",
    "Kim",
    "Garcia",
    "Mueller",
    "Rossi",
    "Kowalski",
    "Silva",
    "Tanaka",
    "Patel",
    "Johnson",
    "O'Brien",
    "Haddad",
    "Andersson",
    "Novak",
    "Mensah",
    "Chen",
    "Costa",
    "Dubois",
    "Fischer",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Khan",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Ortiz",
    "Petrov",
    "Quispe",
    "Ramirez",
    "Santos",
    "Takahashi",
    "Usman",
    "van der Berg",
    "Wagner",
    "Yilmaz",
    "Zhang",
    "Abara",
    "Bianchi",
    "Castillo",
    "Dimitrov",
    "Eriksen",
    "Fernandes",
    "Gonzalez",
    "Horvat",
    "Iyer",
    "Jovanovic",
    "Kaur",
    "Lindqvist",
    "Mahlangu",
    "Nowak",
    "Oyelaran",
    "Park",
    "Reyes",
    "Schmidt",
    "Tran",
    "Vasquez",
    "Walsh",
    "Xu",
    "Yamamoto",
    "Zielinski",
    "Al-Masri",
    "Brown",
    "Clarke",
    "Diallo",
    "Evans",
    "Friedman",
    "Gupta",
    "Hughes",
    "MacLeod",
    "Rahman",
    "Sato",
    "Murphy",
    "Cohen",
    "Kelly",
    "Ali",
    "dos Santos",
    "McCarthy",
    "Fitzgerald",
    "Ahmed",
    "Sorensen",
    "Lee",
    "Bakker",
    "Wojcik",
];

/// A person's name, and how their email address is made from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Person {
    pub first: &'static str,
    pub last: &'static str,
    /// 0: `first.last<n>`, 1: `flast<n>`, 2: `first_last<n>`, 3: `first<n>`.
    pub style: u8,
    /// The number that makes the address unique: no two members share it.
    pub number: u64,
    /// Whether the address is written in upper case.
    pub upper: bool,
    /// Whether the name starts with `=`, as a formula in a spreadsheet.
    pub formula: bool,
}

impl Person {
    pub(super) fn push_name(&self, out: &mut String) {
        if self.formula {
            out.push('=');
        }
        out.push_str(self.first);
        out.push(' ');
        out.push_str(self.last);
    }

    /// The same person under another last name, as after a marriage.
    pub(super) fn renamed(self) -> Person {
        let at = LAST.iter().position(|l| *l == self.last).unwrap_or(0);
        Person {
            last: LAST[(at + 1) % LAST.len()],
            ..self
        }
    }

    /// `first.last<n>@example.com` and its variants. The name parts keep only letters and
    /// digits, and contain no digits, so the trailing number alone tells addresses apart.
    pub(super) fn push_email(&self, out: &mut String) {
        let start = out.len();
        let letters = |out: &mut String, part: &str| {
            out.extend(
                part.chars()
                    .filter(char::is_ascii_alphabetic)
                    .map(|c| c.to_ascii_lowercase()),
            );
        };
        match self.style {
            1 => {
                letters(out, &self.first[..1]);
                letters(out, self.last);
            }
            2 => {
                letters(out, self.first);
                out.push('_');
                letters(out, self.last);
            }
            3 => letters(out, self.first),
            _ => {
                letters(out, self.first);
                out.push('.');
                letters(out, self.last);
            }
        }
        out.push_str(itoa(self.number).as_str());
        out.push_str("@example.com");
        if self.upper {
            out[start..].make_ascii_uppercase();
        }
    }
}

/// A number's decimal digits, without allocating.
pub(super) fn itoa(mut n: u64) -> Digits {
    let mut digits = Digits {
        bytes: [0; 20],
        start: 20,
    };
    loop {
        digits.start -= 1;
        digits.bytes[digits.start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break digits;
        }
    }
}

pub(super) struct Digits {
    bytes: [u8; 20],
    start: usize,
}

impl Digits {
    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[self.start..]).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_need_no_escaping_or_quoting() {
        for list in [FIRST, LAST] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "a name is listed twice");
        }
        for part in FIRST.iter().chain(LAST) {
            assert!(part.is_ascii(), "{part}");
            assert!(!part.contains(['"', '\\', ',', '\n']), "{part}");
            assert!(
                part.chars().next().is_some_and(|c| c.is_ascii_alphabetic()),
                "{part}"
            );
        }
    }

    #[test]
    fn emails() {
        let mut person = Person {
            first: "Jean-Luc",
            last: "van der Berg",
            style: 0,
            number: 17,
            upper: false,
            formula: false,
        };
        let mut s = String::new();
        person.push_email(&mut s);
        assert_eq!(s, "jeanluc.vanderberg17@example.com");
        person.style = 1;
        person.upper = true;
        s.clear();
        person.push_email(&mut s);
        assert_eq!(s, "JVANDERBERG17@EXAMPLE.COM");
        assert_eq!(itoa(0).as_str(), "0");
        assert_eq!(itoa(u64::MAX).as_str(), "18446744073709551615");
    }
}
