//! The closed vocabularies of legal aid work that do not change without a new law or
//! circular: fields, forms, places, provider kinds, recipient categories, genders, ethnic
//! groups and qualifications. Provinces change by decision of the Agency and so live in the
//! database instead (see the persistence crate).

use crate::label::Vocabulary;
use crate::vocabulary;

vocabulary! {
    /// Lĩnh vực: the field of law of a case. Business and commerce are never legal aid.
    pub enum Field {
        Criminal = "criminal" { vi: "Hình sự", en: "Criminal" },
        Civil = "civil" { vi: "Dân sự", en: "Civil" },
        MarriageFamily = "marriage_family" { vi: "Hôn nhân và gia đình", en: "Marriage and family" },
        Administrative = "administrative" { vi: "Hành chính", en: "Administrative" },
        Labour = "labour" { vi: "Lao động", en: "Labour" },
        Land = "land" { vi: "Đất đai", en: "Land" },
        Other = "other" { vi: "Lĩnh vực khác", en: "Other fields" },
    }
}

vocabulary! {
    /// Hình thức trợ giúp pháp lý under the 2017 Law.
    pub enum AidForm {
        Litigation = "litigation" { vi: "Tham gia tố tụng", en: "Participation in proceedings" },
        Counselling = "counselling" { vi: "Tư vấn pháp luật", en: "Legal counselling" },
        Representation = "representation" { vi: "Đại diện ngoài tố tụng", en: "Out-of-court representation" },
    }
}

vocabulary! {
    /// Where the aid is given.
    pub enum AidPlace {
        AtOffice = "at_office" { vi: "Tại trụ sở", en: "At the office" },
        Mobile = "mobile" { vi: "Trợ giúp pháp lý lưu động", en: "Mobile legal aid" },
        Detention = "detention" { vi: "Tại nơi tạm giữ, tạm giam, trại giam", en: "In custody or detention" },
        Other = "other" { vi: "Nơi khác", en: "Elsewhere" },
    }
}

vocabulary! {
    /// Người thực hiện trợ giúp pháp lý.
    pub enum ProviderKind {
        LegalAidOfficer = "legal_aid_officer" { vi: "Trợ giúp viên pháp lý", en: "Legal aid officer" },
        Lawyer = "lawyer" { vi: "Luật sư", en: "Lawyer" },
        LegalCounsellor = "legal_counsellor" { vi: "Tư vấn viên pháp luật", en: "Legal counsellor" },
        Collaborator = "collaborator" { vi: "Cộng tác viên trợ giúp pháp lý", en: "Legal aid collaborator" },
    }
}

impl ProviderKind {
    /// Whether this kind of provider may give aid in `form`. Legal aid officers and lawyers
    /// give every form; legal counsellors and collaborators give counselling only (Law on
    /// Legal Aid 2017 art. 31 and 33: participation in proceedings and out-of-court
    /// representation are done by legal aid officers and lawyers).
    pub fn gives(self, form: AidForm) -> bool {
        match self {
            Self::LegalAidOfficer | Self::Lawyer => true,
            Self::LegalCounsellor | Self::Collaborator => form == AidForm::Counselling,
        }
    }
}

vocabulary! {
    /// Người được trợ giúp pháp lý, Law on Legal Aid 2017 art. 7.
    pub enum RecipientCategory {
        Meritorious = "meritorious" { vi: "Người có công với cách mạng", en: "Person with meritorious service to the revolution" },
        PoorHousehold = "poor_household" { vi: "Người thuộc hộ nghèo", en: "Member of a poor household" },
        Child = "child" { vi: "Trẻ em", en: "Child" },
        EthnicMinorityHardshipArea = "ethnic_minority_hardship_area" { vi: "Người dân tộc thiểu số cư trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn", en: "Ethnic minority person living in an area of extreme socio-economic hardship" },
        Accused16To18 = "accused_16_18" { vi: "Người bị buộc tội từ đủ 16 tuổi đến dưới 18 tuổi", en: "Accused person aged 16 to under 18" },
        AccusedNearPoor = "accused_near_poor" { vi: "Người bị buộc tội thuộc hộ cận nghèo", en: "Accused person of a near-poor household" },
        MartyrRelative = "martyr_relative" { vi: "Thân nhân liệt sĩ có khó khăn về tài chính", en: "Martyr's relative in financial difficulty" },
        AgentOrange = "agent_orange" { vi: "Người nhiễm chất độc da cam có khó khăn về tài chính", en: "Agent Orange victim in financial difficulty" },
        Elderly = "elderly" { vi: "Người cao tuổi có khó khăn về tài chính", en: "Elderly person in financial difficulty" },
        Disabled = "disabled" { vi: "Người khuyết tật có khó khăn về tài chính", en: "Person with disability in financial difficulty" },
        Victim16To18 = "victim_16_18" { vi: "Bị hại từ đủ 16 tuổi đến dưới 18 tuổi có khó khăn về tài chính", en: "Victim aged 16 to under 18 in financial difficulty" },
        DomesticViolenceVictim = "domestic_violence_victim" { vi: "Nạn nhân bạo lực gia đình có khó khăn về tài chính", en: "Domestic violence victim in financial difficulty" },
        TraffickingVictim = "trafficking_victim" { vi: "Nạn nhân mua bán người có khó khăn về tài chính", en: "Trafficking victim in financial difficulty" },
        Hiv = "hiv" { vi: "Người nhiễm HIV có khó khăn về tài chính", en: "Person living with HIV in financial difficulty" },
    }
}

impl RecipientCategory {
    /// Categories of art. 7(2) that qualify only together with financial difficulty, and so
    /// need two proofs: one of the status and one of the hardship.
    pub fn requires_financial_difficulty(self) -> bool {
        matches!(
            self,
            Self::MartyrRelative
                | Self::AgentOrange
                | Self::Elderly
                | Self::Disabled
                | Self::Victim16To18
                | Self::DomesticViolenceVictim
                | Self::TraffickingVictim
                | Self::Hiv
        )
    }
}

vocabulary! {
    /// The categories of the 2006 Law used by the 2011 statistical forms; kept for history.
    pub enum LegacyRecipientCategory {
        Poor = "poor_2006" { vi: "Người nghèo", en: "Poor person" },
        Meritorious = "meritorious_2006" { vi: "Người có công với cách mạng", en: "Person with meritorious service to the revolution" },
        LoneElderly = "lone_elderly_2006" { vi: "Người già cô đơn", en: "Lone elderly person" },
        LoneDisabled = "lone_disabled_2006" { vi: "Người khuyết tật không nơi nương tựa", en: "Person with disability without support" },
        UnsupportedChild = "unsupported_child_2006" { vi: "Trẻ em không nơi nương tựa", en: "Child without support" },
        EthnicMinorityHardshipArea = "ethnic_minority_hardship_area_2006" { vi: "Người dân tộc thiểu số thường trú ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn", en: "Ethnic minority person resident in an area of extreme hardship" },
        TreatyBased = "treaty_based_2006" { vi: "Người được trợ giúp pháp lý theo điều ước quốc tế", en: "Person entitled under an international treaty" },
    }
}

vocabulary! {
    pub enum Gender {
        Male = "male" { vi: "Nam", en: "Male" },
        Female = "female" { vi: "Nữ", en: "Female" },
    }
}

vocabulary! {
    /// Trình độ chuyên môn, as the staff forms count it.
    pub enum Qualification {
        LawDegreeOrHigher = "law_degree_or_higher" { vi: "Cử nhân luật trở lên", en: "Law degree or higher" },
        OtherDegree = "other_degree" { vi: "Trình độ đại học khác", en: "Other university degree" },
        NoDegree = "no_degree" { vi: "Chưa có trình độ đại học", en: "No university degree" },
    }
}

vocabulary! {
    /// The 54 ethnic groups of Viet Nam, in the order of the General Statistics Office's
    /// list, whose position gives the official two-digit code (see [`EthnicGroup::official_code`]).
    pub enum EthnicGroup {
        Kinh = "kinh" { vi: "Kinh", en: "Kinh" },
        Tay = "tay" { vi: "Tày", en: "Tay" },
        Thai = "thai" { vi: "Thái", en: "Thai" },
        Hoa = "hoa" { vi: "Hoa", en: "Hoa (Chinese)" },
        Khmer = "khmer" { vi: "Khơ-me", en: "Khmer" },
        Muong = "muong" { vi: "Mường", en: "Muong" },
        Nung = "nung" { vi: "Nùng", en: "Nung" },
        Hmong = "hmong" { vi: "Hmông", en: "Hmong" },
        Dao = "dao" { vi: "Dao", en: "Dao" },
        GiaRai = "gia_rai" { vi: "Gia-rai", en: "Gia Rai" },
        Ngai = "ngai" { vi: "Ngái", en: "Ngai" },
        EDe = "e_de" { vi: "Ê-đê", en: "E De" },
        BaNa = "ba_na" { vi: "Ba-na", en: "Ba Na" },
        XoDang = "xo_dang" { vi: "Xơ-đăng", en: "Xo Dang" },
        SanChay = "san_chay" { vi: "Sán Chay", en: "San Chay" },
        CoHo = "co_ho" { vi: "Cơ-ho", en: "Co Ho" },
        Cham = "cham" { vi: "Chăm", en: "Cham" },
        SanDiu = "san_diu" { vi: "Sán Dìu", en: "San Diu" },
        Hre = "hre" { vi: "Hrê", en: "Hre" },
        Mnong = "mnong" { vi: "Mnông", en: "Mnong" },
        RaGlai = "ra_glai" { vi: "Ra-glai", en: "Ra Glai" },
        Xtieng = "xtieng" { vi: "Xtiêng", en: "Xtieng" },
        BruVanKieu = "bru_van_kieu" { vi: "Bru-Vân Kiều", en: "Bru-Van Kieu" },
        Tho = "tho" { vi: "Thổ", en: "Tho" },
        Giay = "giay" { vi: "Giáy", en: "Giay" },
        CoTu = "co_tu" { vi: "Cơ-tu", en: "Co Tu" },
        GieTrieng = "gie_trieng" { vi: "Giẻ-Triêng", en: "Gie Trieng" },
        Ma = "ma" { vi: "Mạ", en: "Ma" },
        KhoMu = "kho_mu" { vi: "Khơ-mú", en: "Kho Mu" },
        Co = "co" { vi: "Co", en: "Co" },
        TaOi = "ta_oi" { vi: "Tà-ôi", en: "Ta Oi" },
        ChoRo = "cho_ro" { vi: "Chơ-ro", en: "Cho Ro" },
        Khang = "khang" { vi: "Kháng", en: "Khang" },
        XinhMun = "xinh_mun" { vi: "Xinh-mun", en: "Xinh Mun" },
        HaNhi = "ha_nhi" { vi: "Hà Nhì", en: "Ha Nhi" },
        ChuRu = "chu_ru" { vi: "Chu-ru", en: "Chu Ru" },
        Lao = "lao" { vi: "Lào", en: "Lao" },
        LaChi = "la_chi" { vi: "La Chí", en: "La Chi" },
        LaHa = "la_ha" { vi: "La Ha", en: "La Ha" },
        PhuLa = "phu_la" { vi: "Phù Lá", en: "Phu La" },
        LaHu = "la_hu" { vi: "La Hủ", en: "La Hu" },
        Lu = "lu" { vi: "Lự", en: "Lu" },
        LoLo = "lo_lo" { vi: "Lô Lô", en: "Lo Lo" },
        Chut = "chut" { vi: "Chứt", en: "Chut" },
        Mang = "mang" { vi: "Mảng", en: "Mang" },
        PaThen = "pa_then" { vi: "Pà Thẻn", en: "Pa Then" },
        CoLao = "co_lao" { vi: "Cờ Lao", en: "Co Lao" },
        Cong = "cong" { vi: "Cống", en: "Cong" },
        BoY = "bo_y" { vi: "Bố Y", en: "Bo Y" },
        SiLa = "si_la" { vi: "Si La", en: "Si La" },
        PuPeo = "pu_peo" { vi: "Pu Péo", en: "Pu Peo" },
        Brau = "brau" { vi: "Brâu", en: "Brau" },
        ODu = "o_du" { vi: "Ơ-đu", en: "O Du" },
        RoMam = "ro_mam" { vi: "Rơ-măm", en: "Ro Mam" },
    }
}

impl EthnicGroup {
    /// The General Statistics Office's two-digit code ("01" for Kinh ... "54" for Rơ-măm).
    pub fn official_code(self) -> String {
        let position = Self::ALL.iter().position(|g| *g == self).unwrap_or(0);
        format!("{:02}", position + 1)
    }

    /// Statistics separate the Kinh majority from the 53 other groups.
    pub fn is_minority(self) -> bool {
        self != Self::Kinh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_fifty_four_ethnic_groups_with_unique_codes() {
        assert_eq!(EthnicGroup::ALL.len(), 54);
        let mut codes: Vec<_> = EthnicGroup::ALL.iter().map(|g| g.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 54);
        assert_eq!(EthnicGroup::Kinh.official_code(), "01");
        assert_eq!(EthnicGroup::RoMam.official_code(), "54");
        assert_eq!(
            EthnicGroup::ALL.iter().filter(|g| g.is_minority()).count(),
            53
        );
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for field in Field::ALL {
            assert_eq!(Field::from_code(field.code()), Some(*field));
        }
        assert_eq!("litigation".parse::<AidForm>(), Ok(AidForm::Litigation));
        assert!("business".parse::<Field>().is_err());
    }

    #[test]
    fn only_officers_and_lawyers_take_part_in_proceedings_or_represent() {
        use AidForm::*;
        use ProviderKind::*;
        for kind in ProviderKind::ALL {
            assert!(kind.gives(Counselling), "{kind:?} counsels");
        }
        for form in [Litigation, Representation] {
            assert!(LegalAidOfficer.gives(form));
            assert!(Lawyer.gives(form));
            assert!(!LegalCounsellor.gives(form), "{form:?}");
            assert!(!Collaborator.gives(form), "{form:?}");
        }
    }

    #[test]
    fn legacy_and_current_category_codes_never_collide() {
        for legacy in LegacyRecipientCategory::ALL {
            assert!(RecipientCategory::from_code(legacy.code()).is_none());
        }
    }

    #[test]
    fn financial_difficulty_categories_are_the_eight_of_article_7_2() {
        let n = RecipientCategory::ALL
            .iter()
            .filter(|c| c.requires_financial_difficulty())
            .count();
        assert_eq!(n, 8);
    }
}
