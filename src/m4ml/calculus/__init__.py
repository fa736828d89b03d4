"""m4ml.calculus"""
